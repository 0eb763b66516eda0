import MCPCore
public import PierServer

/// One entry of `connectors`: another MCP endpoint on the same server, at `/connectors/<name>/mcp` (and its
/// legacy SSE beside it), showing a part of the catalogue, with its own server info and tool overlays.
public struct ConnectorSettings: Sendable {
    public var name: String
    /// Upstream servers (`mcpServers` names) and apps it shows; empty shows every source.
    public var servers: [String] = []
    public var include: [String] = []
    public var exclude: [String] = []
    public var readOnly = false
    public var title: String?
    public var description: String?
    public var instructions: String?
    /// By the tool's name on `/mcp`.
    public var overlays: [String: ToolOverlay] = [:]

    /// The connector Pier always serves: every source, only tools whose `readOnlyHint` is `true`.
    public static let builtInReadOnly = "readonly"

    static let knownKeys: Set<String> = ["servers", "tools", "read_only", "title", "description", "instructions", "overlays"]
    static let overlayKeys: Set<String> = ["name", "title", "description", "annotations", "fixed", "defaults"]

    static func parseAll(_ file: JSONObject, path: String, environment: [String: String]) throws(ConfigurationError) -> [ConnectorSettings] {
        guard let value = file["connectors"] else { return [] }
        guard case .object(let entries) = value else {
            throw ConfigurationError(key: "connectors in \(path)", expected: "an object of connector name to entry", got: value.serializedString())
        }
        var out: [ConnectorSettings] = []
        for member in entries {
            let key = "connectors.\(member.key)"
            guard ToolNamingRules.isValidServerName(member.key), member.key != builtInReadOnly else {
                throw ConfigurationError(
                    key: "connectors in \(path)", expected: "names of 1–64 characters of A-Z a-z 0-9 _ - other than the built-in \"readonly\"", got: member.key)
            }
            guard case .object(let entry) = member.value else {
                throw ConfigurationError(key: "\(key) in \(path)", expected: "an object", got: member.value.serializedString())
            }
            for field in entry where !knownKeys.contains(field.key) {
                throw ConfigurationError(key: "\(key) in \(path)", expected: "only the keys \(knownKeys.sorted().joined(separator: ", "))", got: field.key)
            }
            let reader = EntryReader(entry: entry, key: key, file: path, environment: environment)
            var connector = ConnectorSettings(name: member.key)
            connector.servers = try reader.stringList("servers")
            connector.readOnly = try reader.bool("read_only") ?? false
            connector.title = try reader.string("title")
            connector.description = try reader.string("description")
            connector.instructions = try reader.string("instructions")
            if let tools = entry["tools"] {
                guard case .object(let filter) = tools else {
                    throw ConfigurationError(key: reader.named("tools"), expected: "an object with \"include\" and/or \"exclude\" lists of globs", got: tools.serializedString())
                }
                let toolReader = EntryReader(entry: filter, key: "\(key).tools", file: path, environment: environment)
                connector.include = try toolReader.stringList("include")
                connector.exclude = try toolReader.stringList("exclude")
            }
            if let overlays = entry["overlays"] {
                guard case .object(let byTool) = overlays else {
                    throw ConfigurationError(key: reader.named("overlays"), expected: "an object of tool name to overlay", got: overlays.serializedString())
                }
                for tool in byTool { connector.overlays[tool.key] = try parseOverlay(tool.value, key: "\(key).overlays.\(tool.key)", path: path) }
            }
            out.append(connector)
        }
        return out
    }

    static func parseOverlay(_ value: JSONValue, key: String, path: String) throws(ConfigurationError) -> ToolOverlay {
        guard case .object(let entry) = value else { throw ConfigurationError(key: "\(key) in \(path)", expected: "an object", got: value.serializedString()) }
        for field in entry where !overlayKeys.contains(field.key) {
            throw ConfigurationError(key: "\(key) in \(path)", expected: "only the keys \(overlayKeys.sorted().joined(separator: ", "))", got: field.key)
        }
        let reader = EntryReader(entry: entry, key: key, file: path, environment: [:])
        var overlay = ToolOverlay()
        if let name = try reader.string("name") {
            guard ToolNamingRules.isValidServerName(name) else {
                throw ConfigurationError(key: reader.named("name"), expected: "1–64 characters of A-Z a-z 0-9 _ -", got: name)
            }
            overlay.name = name
        }
        overlay.title = try reader.string("title")
        overlay.description = try reader.string("description")
        for (field, path) in [("annotations", \ToolOverlay.annotations), ("fixed", \.fixed), ("defaults", \.defaults)] as [(String, WritableKeyPath<ToolOverlay, JSONObject>)] {
            guard let given = entry[field] else { continue }
            guard case .object(let object) = given else {
                throw ConfigurationError(key: reader.named(field), expected: "an object", got: given.serializedString())
            }
            overlay[keyPath: path] = object
        }
        return overlay
    }

    /// The view this connector shows, with `sources` resolved from server and app names.
    func view(sources: Set<String>?) -> CatalogView {
        CatalogView(
            name: name, sources: sources, readOnly: readOnly, tools: NameFilter(include: include, exclude: exclude), overlays: overlays,
            info: Implementation(name: "pier-\(name)", version: pierVersion, title: title ?? "Pier: \(name)", description: description),
            instructions: instructions)
    }
}
