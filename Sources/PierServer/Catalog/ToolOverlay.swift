public import MCPCore

/// How one view presents one tool: another name, title or description, annotation overrides, and parameters
/// that are fixed (dropped from the schema and always sent with the fixed value) or defaulted (shown with a
/// `default` and sent when the caller leaves them out). Listing and calling through the view both apply it.
///
/// ```swift
/// let overlay = ToolOverlay(name: "search_docs", fixed: ["repo": "pier"], defaults: ["limit": 10])
/// let docs = CatalogView(name: "docs", overlays: ["github__search": overlay])
/// ```
public struct ToolOverlay: Sendable, Equatable {
    public var name: String?
    public var title: String?
    public var description: String?
    /// Keys merged into `annotations` (`readOnlyHint`, `title`, …).
    public var annotations: JSONObject
    /// Parameters the caller cannot set: removed from `inputSchema` and always sent with these values.
    public var fixed: JSONObject
    /// Parameters sent with these values when the caller leaves them out; shown as the schema's `default`.
    public var defaults: JSONObject

    public init(
        name: String? = nil, title: String? = nil, description: String? = nil, annotations: JSONObject = [:], fixed: JSONObject = [:],
        defaults: JSONObject = [:]
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.annotations = annotations
        self.fixed = fixed
        self.defaults = defaults
    }

    /// `entry` as the view presents it.
    /// - Throws: ``RegistrationError`` when the new name is not a valid tool name.
    public func apply(to entry: ToolEntry) throws(RegistrationError) -> ToolEntry {
        let fixed = self.fixed
        let defaults = self.defaults
        var descriptor = entry.descriptor
        if let title { descriptor["title"] = .string(title) }
        if let description { descriptor["description"] = .string(description) }
        if !annotations.isEmpty {
            var merged = descriptor["annotations"]?.objectValue ?? [:]
            merged.merge(annotations)
            descriptor["annotations"] = .object(merged)
        }
        if case .object(var schema)? = descriptor["inputSchema"], !(fixed.isEmpty && defaults.isEmpty) {
            var properties = schema["properties"]?.objectValue ?? [:]
            for member in fixed { properties[member.key] = nil }
            for member in defaults {
                guard case .object(var property)? = properties[member.key] else { continue }
                property["default"] = member.value
                properties[member.key] = .object(property)
            }
            schema["properties"] = .object(properties)
            if case .array(let required)? = schema["required"] {
                let kept = required.filter { name in
                    guard let key = name.stringValue else { return true }
                    return fixed[key] == nil && defaults[key] == nil
                }
                schema["required"] = kept.isEmpty ? nil : .array(kept)
            }
            descriptor["inputSchema"] = .object(schema)
        }
        let call = entry.call
        var presented = try ToolEntry(name: name ?? entry.name, descriptor: descriptor) { arguments, context in
            var arguments = arguments
            for member in defaults where arguments[member.key] == nil { arguments[member.key] = member.value }
            for member in fixed { arguments[member.key] = member.value }
            return try await call(arguments, context)
        }
        presented.source = entry.source
        return presented
    }
}
