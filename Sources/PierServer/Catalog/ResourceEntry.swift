public import MCPCore

/// One resource with a fixed URI, as the dispatcher holds it: the `Resource` object `resources/list` serves
/// verbatim, and the read that answers `resources/read` with a raw `ReadResourceResult` (`{"contents": [...]}` and
/// whatever else its source puts there).
public struct ResourceEntry: Sendable {
    public typealias Read = @Sendable (_ context: MCPRequestContext) async throws -> JSONObject

    public let uri: String
    /// The `Resource` object, with `uri` set to ``uri``.
    public let descriptor: JSONObject
    /// Listed by `resources/list`; an unlisted resource (a widget's alias, say) can still be read.
    public let listed: Bool
    public let read: Read
    /// The source the entry belongs to; set by the catalogue.
    public internal(set) var source = ""
    let descriptorValue: JSONValue

    public init(uri: String, descriptor: JSONObject, listed: Bool = true, read: @escaping Read) {
        var patched = descriptor
        patched["uri"] = .string(uri)
        self.uri = uri
        self.descriptor = patched
        self.descriptorValue = .object(patched)
        self.listed = listed
        self.read = read
    }
}
