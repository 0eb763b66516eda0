import MCPCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One layer of configuration: a parsed JSON file, the environment, or command-line flags. Typed reads name the
/// key (as the user wrote it) on failure.
struct ConfigSource {
    enum Origin {
        case file(String, JSONObject)
        case environment([String: String])
        /// Flags, by the environment variable they stand for, with the flag's own spelling.
        case flags([String: (flag: String, value: String)])
    }
    let origin: Origin

    static func file(_ path: String) throws(ConfigurationError) -> ConfigSource {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(key: "PIER_CONFIG", expected: "a readable JSON file", got: path)
        }
        do {
            guard case .object(let object) = try JSONValue(parsing: [UInt8](data)) else {
                throw ConfigurationError(key: path, expected: "a JSON object at the top level", got: "another JSON value")
            }
            return ConfigSource(origin: .file(path, object))
        } catch let error as JSONParseError {
            throw ConfigurationError(key: path, expected: "valid JSON", got: error.description)
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError(key: path, expected: "valid JSON", got: "unreadable")
        }
    }

    static func environment(_ env: [String: String]) -> ConfigSource { ConfigSource(origin: .environment(env)) }

    /// The name a user would look for: the env variable, `key in file`, or the flag.
    func name(_ key: String, env: String) -> String {
        switch origin {
        case .file(let path, _): "\(key) in \(path)"
        case .environment: env
        case .flags(let flags): flags[env]?.flag ?? env
        }
    }

    private func raw(_ key: String, env: String) -> JSONValue? {
        switch origin {
        case .file(_, let object): object[key]
        case .environment(let e): e[env].map { .string($0) }
        case .flags(let flags): flags[env].map { .string($0.value) }
        }
    }

    func string(_ key: String, env: String) throws(ConfigurationError) -> String? {
        guard let v = raw(key, env: env) else { return nil }
        guard case .string(let s) = v else { throw ConfigurationError(key: name(key, env: env), expected: "a string", got: v.serializedString()) }
        return s
    }

    func int(_ key: String, env: String, range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        try number(key, env: env, range: range, kind: "an integer") { $0.intValue ?? $0.stringValue.flatMap { Int($0.trimmed) } }
    }

    func double(_ key: String, env: String, range: ClosedRange<Double>) throws(ConfigurationError) -> Double? {
        try number(key, env: env, range: range, kind: "a number") { $0.doubleValue ?? $0.stringValue.flatMap { Double($0.trimmed) } }
    }

    /// A number from JSON or from text, within `range`.
    private func number<T: Comparable>(
        _ key: String, env: String, range: ClosedRange<T>, kind: String, parse: (JSONValue) -> T?
    ) throws(ConfigurationError) -> T? {
        guard let v = raw(key, env: env) else { return nil }
        guard let n = parse(v), range.contains(n) else {
            throw ConfigurationError(
                key: name(key, env: env), expected: "\(kind) from \(range.lowerBound) to \(range.upperBound)", got: v.stringValue ?? v.serializedString())
        }
        return n
    }

    func bool(_ key: String, env: String) throws(ConfigurationError) -> Bool? {
        guard let v = raw(key, env: env) else { return nil }
        if let b = v.boolValue { return b }
        switch v.stringValue?.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigurationError(key: name(key, env: env), expected: "true or false", got: v.stringValue ?? v.serializedString())
        }
    }

    /// A JSON array of strings, or a comma-separated string.
    func list(_ key: String, env: String) throws(ConfigurationError) -> [String]? {
        guard let v = raw(key, env: env) else { return nil }
        switch v {
        case .string(let s):
            return s.split(separator: ",").map { $0.trimmed }.filter { !$0.isEmpty }
        case .array(let items):
            var out: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw ConfigurationError(key: name(key, env: env), expected: "a list of strings", got: v.serializedString()) }
                out.append(s)
            }
            return out
        default:
            throw ConfigurationError(key: name(key, env: env), expected: "a list of strings or a comma-separated string", got: v.serializedString())
        }
    }

    /// A string-to-string map: an object in the file, `a=b,c=d` in the environment or a flag.
    func map(_ key: String, env: String) throws(ConfigurationError) -> [String: String]? {
        guard let v = raw(key, env: env) else { return nil }
        var out: [String: String] = [:]
        switch v {
        case .string(let s):
            for pair in s.split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(\.trimmed)
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw ConfigurationError(key: name(key, env: env), expected: "name=value pairs separated by commas", got: String(pair))
                }
                out[parts[0]] = parts[1]
            }
        case .object(let object):
            for member in object {
                guard case .string(let s) = member.value else {
                    throw ConfigurationError(key: name(key, env: env) + "." + member.key, expected: "a string", got: member.value.serializedString())
                }
                out[member.key] = s
            }
        default:
            throw ConfigurationError(key: name(key, env: env), expected: "an object of strings, or name=value pairs", got: v.serializedString())
        }
        return out
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    var trimmed: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
