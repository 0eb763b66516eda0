public import MCPCore

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
