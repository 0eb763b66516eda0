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

/// Answers `completion/complete` for one prompt or template: gets the request's params (`ref`, `argument`,
/// `context`) and returns the raw `CompleteResult` (`{"completion": {...}}`).
public typealias CompletionHandler = @Sendable (_ params: JSONObject, _ context: MCPRequestContext) async throws -> JSONObject

/// A family of resources under an RFC 6570 (level 1) URI template, as the dispatcher holds it.
public struct TemplateEntry: Sendable {
    public typealias Read = @Sendable (_ uri: String, _ variables: [String: String], _ context: MCPRequestContext) async throws -> JSONObject

    public let template: URITemplate
    /// The `ResourceTemplate` object, with `uriTemplate` set to the template's pattern.
    public let descriptor: JSONObject
    public let read: Read
    public let complete: CompletionHandler?
    /// The source the entry belongs to; set by the catalogue.
    public internal(set) var source = ""
    let descriptorValue: JSONValue

    public init(uriTemplate: String, descriptor: JSONObject, complete: CompletionHandler? = nil, read: @escaping Read) {
        var patched = descriptor
        patched["uriTemplate"] = .string(uriTemplate)
        self.template = URITemplate(uriTemplate)
        self.descriptor = patched
        self.descriptorValue = .object(patched)
        self.complete = complete
        self.read = read
    }
}
