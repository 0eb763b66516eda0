import MCPCore
import PierUpstreamStdio
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One entry of `mcpServers`, in the shape Claude Desktop, Cursor and VS Code use, plus Pier's own keys.
public struct UpstreamSettings: Sendable, Equatable {
    public enum Transport: Sendable, Equatable {
        /// A child process: argv only, never a shell.
        case stdio(command: String, arguments: [String], environment: [String: String], workingDirectory: String?)
        /// A remote server; `type` is `http`, `sse`, or `auto` (Streamable HTTP, falling back to legacy SSE).
        case remote(url: String, type: String, headers: [String: String])
    }

    public var name: String
    public var transport: Transport
    /// `nil`: the server's name.
    public var prefix: String?
    public var description: String?
    public var enabled = true
    public var autoRestart = true
    /// `nil`: `SERVER_TIMEOUT`.
    public var timeoutSeconds: Double?
    public var maximumConcurrency: Int?
    public var include: [String] = []
    public var exclude: [String] = []
    /// The origin of the upstream's widget assets, which Pier then serves under `/upstreams/<name>/`.
    public var assets: String?
    /// How often a running upstream is probed (`ping`, or `server/discover`); `nil`: every 15 s.
    public var probeSeconds: Double?
    /// Failures in a row (without a stable minute between) before the upstream is given up as `failed`.
    public var maximumRestarts: Int?

    /// Keys Pier reads in an entry; anything else is refused, so a typo does not pass silently.
    static let knownKeys: Set<String> = [
        "command", "args", "env", "cwd", "type", "url", "headers", "prefix", "description", "enabled", "auto_restart", "timeout_seconds",
        "max_concurrency", "tools", "envFile", "disabled", "transport", "serverUrl", "assets", "probe_seconds", "max_restarts",
    ]

    /// Reads entry `name` of `mcpServers` in `file`; `${NAME}` in `env`, `headers` and `url` is read from
    /// `environment`.
    static func parse(name: String, _ value: JSONValue, file: String, environment: [String: String]) throws(ConfigurationError) -> UpstreamSettings {
        let key = "mcpServers.\(name)"
        let whole = "\(key) in \(file)"
        guard ToolNamingRules.isValidServerName(name) else {
            throw ConfigurationError(key: "mcpServers in \(file)", expected: "server names of 1–64 characters of A-Z a-z 0-9 _ -", got: name)
        }
        guard case .object(let entry) = value else { throw ConfigurationError(key: whole, expected: "an object", got: value.serializedString()) }
        for member in entry where !knownKeys.contains(member.key) {
            throw ConfigurationError(key: whole, expected: "only the keys \(knownKeys.sorted().joined(separator: ", "))", got: member.key)
        }
        let reader = EntryReader(entry: entry, key: key, file: file, environment: environment)
        var type = try reader.string("type")
        if type == nil { type = try reader.string("transport") }
        let transport: Transport
        var remoteURL = try reader.string("url", expand: true)
        if remoteURL == nil { remoteURL = try reader.string("serverUrl", expand: true) }
        if let command = try reader.string("command") {
            guard type == nil || type == "stdio" else {
                throw ConfigurationError(key: "\(key).type in \(file)", expected: "\"stdio\" (or nothing) for an entry with a command", got: type ?? "")
            }
            guard !command.trimmed.isEmpty else { throw ConfigurationError(key: "\(key).command in \(file)", expected: "a program to run", got: command) }
            let environmentValues = try reader.stringMap("env", expand: true)
            for variable in environmentValues.keys where ChildEnvironment.isRefused(variable) {
                throw ConfigurationError(key: "\(key).env in \(file)", expected: "no variable that changes how programs load (LD_PRELOAD, DYLD_*, NODE_OPTIONS, …)", got: variable)
            }
            transport = .stdio(
                command: command, arguments: try reader.stringList("args"), environment: environmentValues, workingDirectory: try reader.string("cwd"))
        } else if let url = remoteURL {
            let kind: String
            switch type {
            case nil: kind = "auto"
            case "http"?, "streamable-http"?, "streamableHttp"?: kind = "http"
            case "sse"?: kind = "sse"
            case let other?: throw ConfigurationError(key: "\(key).type in \(file)", expected: "one of http, streamable-http, sse", got: other)
            }
            let lower = url.lowercased()
            guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), url.count > 8 else {
                throw ConfigurationError(key: "\(key).url in \(file)", expected: "an http or https URL", got: url)
            }
            transport = .remote(url: url, type: kind, headers: try reader.stringMap("headers", expand: true))
        } else {
            throw ConfigurationError(key: whole, expected: "a \"command\" (stdio) or a \"url\" (remote server)", got: value.serializedString())
        }
        var settings = UpstreamSettings(name: name, transport: transport)
        if let prefix = try reader.string("prefix") {
            guard prefix.isEmpty || ToolNamingRules.isValidServerName(prefix) else {
                throw ConfigurationError(key: "\(key).prefix in \(file)", expected: "empty, or 1–64 characters of A-Z a-z 0-9 _ -", got: prefix)
            }
            settings.prefix = prefix
        }
        settings.description = try reader.string("description")
        if let assets = try reader.string("assets", expand: true) {
            let lower = assets.lowercased()
            guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), assets.count > 8 else {
                throw ConfigurationError(key: reader.named("assets"), expected: "the http or https origin of the upstream's widget assets", got: assets)
            }
            settings.assets = assets
        }
        if let enabled = try reader.bool("enabled") { settings.enabled = enabled }
        if let disabled = try reader.bool("disabled"), disabled { settings.enabled = false }
        if let restart = try reader.bool("auto_restart") { settings.autoRestart = restart }
        settings.timeoutSeconds = try reader.number("timeout_seconds", range: 0.1...86_400)
        settings.maximumConcurrency = try reader.number("max_concurrency", range: 1...100_000).map { Int($0) }
        settings.probeSeconds = try reader.number("probe_seconds", range: 0.5...86_400)
        settings.maximumRestarts = try reader.number("max_restarts", range: 0...100_000).map { Int($0) }
        if let tools = entry["tools"] {
            guard case .object(let filter) = tools else {
                throw ConfigurationError(key: "\(key).tools in \(file)", expected: "an object with \"include\" and/or \"exclude\" lists of globs", got: tools.serializedString())
            }
            let toolReader = EntryReader(entry: filter, key: "\(key).tools", file: file, environment: environment)
            settings.include = try toolReader.stringList("include")
            settings.exclude = try toolReader.stringList("exclude")
        }
        return settings
    }

    /// The prefix in effect.
    public var effectivePrefix: String { prefix ?? name }
}

/// Typed reads of one entry, naming the key on failure (and a missing variable by name, never a value).
struct EntryReader {
    let entry: JSONObject
    let key: String
    let file: String
    let environment: [String: String]

    /// `field`'s name as the user finds it: `mcpServers.x.field in FILE`.
    func named(_ field: String) -> String { "\(key).\(field) in \(file)" }

    func string(_ field: String, expand: Bool = false) throws(ConfigurationError) -> String? {
        guard let value = entry[field] else { return nil }
        guard case .string(let text) = value else { throw ConfigurationError(key: named(field), expected: "a string", got: value.serializedString()) }
        return expand ? try Self.expand(text, key: named(field), environment: environment) : text
    }

    func bool(_ field: String) throws(ConfigurationError) -> Bool? {
        guard let value = entry[field] else { return nil }
        guard case .bool(let flag) = value else { throw ConfigurationError(key: named(field), expected: "true or false", got: value.serializedString()) }
        return flag
    }

    func number(_ field: String, range: ClosedRange<Double>) throws(ConfigurationError) -> Double? {
        guard let value = entry[field] else { return nil }
        guard let number = value.doubleValue, range.contains(number) else {
            throw ConfigurationError(key: named(field), expected: "a number from \(range.lowerBound) to \(range.upperBound)", got: value.serializedString())
        }
        return number
    }

    func stringList(_ field: String) throws(ConfigurationError) -> [String] {
        guard let value = entry[field] else { return [] }
        guard case .array(let items) = value else { throw ConfigurationError(key: named(field), expected: "a list of strings", got: value.serializedString()) }
        var out: [String] = []
        for item in items {
            guard case .string(let text) = item else { throw ConfigurationError(key: named(field), expected: "a list of strings", got: value.serializedString()) }
            out.append(text)
        }
        return out
    }

    func stringMap(_ field: String, expand: Bool) throws(ConfigurationError) -> [String: String] {
        guard let value = entry[field] else { return [:] }
        guard case .object(let members) = value else {
            throw ConfigurationError(key: named(field), expected: "an object of strings", got: value.serializedString())
        }
        var out: [String: String] = [:]
        for member in members {
            guard case .string(let text) = member.value else {
                throw ConfigurationError(key: named("\(field).\(member.key)"), expected: "a string", got: member.value.serializedString())
            }
            out[member.key] = expand ? try Self.expand(text, key: named("\(field).\(member.key)"), environment: environment) : text
        }
        return out
    }

    /// `text` with each `${NAME}` replaced by Pier's environment variable `NAME`.
    static func expand(_ text: String, key: String, environment: [String: String]) throws(ConfigurationError) -> String {
        let expanded = try Placeholders.substitute(text) { name throws(ConfigurationError) in
            guard let value = environment[name] else {
                throw ConfigurationError(key: key, expected: "environment variable \(name) to be set", got: "unset")
            }
            return value
        }
        guard expanded.closed else { throw ConfigurationError(key: key, expected: "${NAME} references that are closed", got: "an unclosed ${") }
        return expanded.text
    }
}

/// Name rules shared by server names and prefixes.
enum ToolNamingRules {
    static func isValidServerName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
    }
}

extension UpstreamSettings {
    /// Every entry of `mcpServers` in the file, in the file's order.
    static func parseAll(_ file: JSONObject, path: String, environment: [String: String]) throws(ConfigurationError) -> [UpstreamSettings] {
        guard let servers = file["mcpServers"] else { return [] }
        guard case .object(let entries) = servers else {
            throw ConfigurationError(key: "mcpServers in \(path)", expected: "an object of server name to entry", got: servers.serializedString())
        }
        var out: [UpstreamSettings] = []
        for member in entries { out.append(try parse(name: member.key, member.value, file: path, environment: environment)) }
        return out
    }
}
