public import MCPCore

/// Reads the MCP server entries of another client's config (Claude Desktop's `claude_desktop_config.json`,
/// Cursor's `mcp.json`, VS Code's `.vscode/mcp.json`, Windsurf's `mcp_config.json`) as `mcpServers` entries for
/// Pier. A pure value step: ``PierCommands/importServers(from:into:replace:)`` does the files.
public struct ServerImport: Sendable {
    /// One server found, in Pier's shape.
    public struct Entry: Sendable {
        public let name: String
        public let value: JSONValue
        /// What the user must do for it to work (set a variable that stands for a VS Code input, say).
        public let notes: [String]
    }

    public let format: String
    public let entries: [Entry]

    /// Reads `document`, the file at `path` (its directory stands for VS Code's `${workspaceFolder}`).
    public static func read(_ document: JSONValue, path: String) throws(ConfigurationError) -> ServerImport {
        guard case .object(let root) = document else { throw ConfigurationError(key: path, expected: "a JSON object", got: "another JSON value") }
        let format: String
        let servers: JSONObject
        if case .object(let s)? = root["mcpServers"] {
            format = s.contains(where: { $0.value["serverUrl"] != nil }) ? "Windsurf" : "Claude Desktop / Cursor"
            servers = s
        } else if case .object(let s)? = root["servers"] {
            format = "VS Code"
            servers = s
        } else if case .object(let s)? = root["mcp"]?["servers"] {
            format = "VS Code settings"
            servers = s
        } else {
            throw ConfigurationError(key: path, expected: "\"mcpServers\" (Claude Desktop, Cursor, Windsurf) or \"servers\" (VS Code)", got: "neither")
        }
        let inputs = Dictionary(
            (root["inputs"]?.arrayValue ?? []).compactMap { input in input["id"]?.stringValue.map { ($0, input["description"]?.stringValue ?? "") } },
            uniquingKeysWith: { first, _ in first })
        let folder = directory(of: path)
        var entries: [Entry] = []
        for member in servers {
            guard case .object(let server) = member.value else {
                throw ConfigurationError(key: "\(member.key) in \(path)", expected: "an object", got: member.value.serializedString())
            }
            var notes: [String] = []
            var converted = JSONObject()
            for field in server {
                switch field.key {
                case "command", "args", "env", "cwd", "url", "headers", "description":
                    converted[field.key] = rewrite(field.value, inputs: inputs, folder: folder, notes: &notes)
                case "serverUrl":
                    converted["url"] = rewrite(field.value, inputs: inputs, folder: folder, notes: &notes)
                case "type", "transport":
                    if let type = field.value.stringValue, type != "stdio" { converted["type"] = .string(type == "streamableHttp" ? "http" : type) }
                case "disabled":
                    if field.value == true { converted["enabled"] = false }
                case "envFile":
                    notes.append("its envFile (\(field.value.stringValue ?? "?")) is not read: put those variables in \"env\" as ${NAME} references")
                default:
                    notes.append("its \"\(field.key)\" setting has no equivalent in Pier and was left out")
                }
            }
            entries.append(Entry(name: member.key, value: .object(converted), notes: notes))
        }
        return ServerImport(format: format, entries: entries)
    }

    /// `value` with VS Code's `${input:id}` and `${env:NAME}` turned into Pier's `${NAME}`, and
    /// `${workspaceFolder}` into the config's project folder.
    static func rewrite(_ value: JSONValue, inputs: [String: String], folder: String, notes: inout [String]) -> JSONValue {
        switch value {
        case .string(let text):
            let rewritten = Placeholders.substitute(text) { reference in
                if reference.hasPrefix("input:") {
                    let id = String(reference.dropFirst("input:".count))
                    let variable = environmentName(for: id)
                    let about = inputs[id].map { $0.isEmpty ? "" : " (\($0))" } ?? ""
                    notes.append("set \(variable) in Pier's environment: it stands for the VS Code input \"\(id)\"\(about)")
                    return "${\(variable)}"
                }
                if reference.hasPrefix("env:") { return "${\(reference.dropFirst("env:".count))}" }
                return reference == "workspaceFolder" ? folder : "${\(reference)}"
            }
            return .string(rewritten.text)
        case .array(let items):
            return .array(items.map { rewrite($0, inputs: inputs, folder: folder, notes: &notes) })
        case .object(let object):
            var out = JSONObject()
            for member in object { out[member.key] = rewrite(member.value, inputs: inputs, folder: folder, notes: &notes) }
            return .object(out)
        default:
            return value
        }
    }

    /// `api-key` → `API_KEY`.
    static func environmentName(for id: String) -> String {
        String(id.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// The project folder of a config file: the parent of `.vscode` for VS Code's, else the file's own directory.
    static func directory(of path: String) -> String {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        if parts.last == ".vscode" { parts = parts.dropLast() }
        let joined = parts.joined(separator: "/")
        return joined.isEmpty ? (path.hasPrefix("/") ? "/" : ".") : joined
    }
}
