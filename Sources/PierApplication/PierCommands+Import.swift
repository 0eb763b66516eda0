import MCPCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What `pier import` did.
public struct ImportReport: Sendable, CustomStringConvertible {
    public var format = ""
    public var added: [String] = []
    public var replaced: [String] = []
    /// Names Pier's config already had (kept, since `--replace` was not given).
    public var refused: [String] = []
    public var notes: [String] = []
    public var target = ""

    public var description: String {
        var lines = ["read \(format) servers into \(target)"]
        for name in added { lines.append("  added \(name)") }
        for name in replaced { lines.append("  replaced \(name)") }
        for name in refused { lines.append("  kept the existing \(name) (use --replace to overwrite it)") }
        lines += notes.map { "  note: \($0)" }
        if added.isEmpty && replaced.isEmpty { lines.append("  nothing changed") }
        return lines.joined(separator: "\n")
    }
}

extension PierCommands {
    /// The config file `pier import` writes when none is named: `PIER_CONFIG`, else `pier.json` here.
    public static var defaultConfigPath: String { ProcessInfo.processInfo.environment["PIER_CONFIG"] ?? "pier.json" }

    /// `pier import FILE`: adds the servers of another client's config to the `mcpServers` of Pier's config file
    /// (created when missing), checking each as `pier serve` would. Existing names are kept unless `replace`.
    public static func importServers(from source: String, into target: String, replace: Bool) throws(StartupError) -> ImportReport {
        guard let data = FileManager.default.contents(atPath: source) else { throw .configuration("cannot read \(source)") }
        let imported: ServerImport
        do {
            imported = try ServerImport.read(try JSONValue(parsing: [UInt8](data)), path: absolute(source))
        } catch let error as ConfigurationError {
            throw .configuration(error.description)
        } catch {
            throw .configuration("\(source) is not valid JSON: \(error)")
        }
        var config = JSONObject()
        if let existing = FileManager.default.contents(atPath: target) {
            guard case .object(let object)? = try? JSONValue(parsing: [UInt8](existing)) else {
                throw .configuration("\(target) is not a JSON object; fix it before importing into it")
            }
            config = object
        }
        var servers = config["mcpServers"]?.objectValue ?? [:]
        var report = ImportReport(format: imported.format, target: target)
        for entry in imported.entries {
            // Checked as start-up would, with every ${NAME} it references standing in for a value.
            let references = Dictionary(uniqueKeysWithValues: Self.references(in: entry.value).map { ($0, "set") })
            do {
                _ = try UpstreamSettings.parse(name: entry.name, entry.value, file: source, environment: references)
            } catch {
                throw .configuration("the server \(entry.name) cannot be imported: \(error.description)")
            }
            if servers[entry.name] != nil {
                guard replace else {
                    report.refused.append(entry.name)
                    continue
                }
                report.replaced.append(entry.name)
            } else {
                report.added.append(entry.name)
            }
            servers[entry.name] = entry.value
            report.notes += entry.notes.map { "\(entry.name): \($0)" }
        }
        config["mcpServers"] = .object(servers)
        if !(report.added.isEmpty && report.replaced.isEmpty) {
            let text = PrettyJSON.render(.object(config)) + "\n"
            guard FileManager.default.createFile(atPath: target, contents: Data(text.utf8)) else { throw .unavailable("cannot write \(target)") }
        }
        return report
    }

    /// The `${NAME}` references in a value.
    static func references(in value: JSONValue) -> [String] {
        switch value {
        case .string(let text): return Placeholders.names(in: text)
        case .array(let items): return items.flatMap(references)
        case .object(let object): return object.flatMap { references(in: $0.value) }
        default: return []
        }
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}

/// JSON with two-space indentation, keys in their order, for files people edit.
enum PrettyJSON {
    static func render(_ value: JSONValue, indent: String = "") -> String {
        let inner = indent + "  "
        switch value {
        case .object(let object):
            guard !object.isEmpty else { return "{}" }
            let members = object.map { member in inner + JSONValue.string(member.key).serializedString() + ": " + render(member.value, indent: inner) }
            return "{\n" + members.joined(separator: ",\n") + "\n" + indent + "}"
        case .array(let items):
            guard !items.isEmpty else { return "[]" }
            if items.allSatisfy({ if case .object = $0 { false } else if case .array = $0 { false } else { true } }) {
                return "[" + items.map { $0.serializedString() }.joined(separator: ", ") + "]"
            }
            return "[\n" + items.map { inner + render($0, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        default:
            return value.serializedString()
        }
    }
}
