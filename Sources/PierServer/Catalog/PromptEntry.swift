public import MCPCore

/// One prompt as the dispatcher holds it: the `Prompt` object `prompts/list` serves verbatim, and the get that
/// answers `prompts/get` with a raw `GetPromptResult`.
public struct PromptEntry: Sendable {
    public typealias Get = @Sendable (_ arguments: JSONObject, _ context: MCPRequestContext) async throws -> JSONObject

    public let name: String
    /// The `Prompt` object, with `name` set to ``name``.
    public let descriptor: JSONObject
    /// Gets the `arguments` object as the client sent it.
    public let get: Get
    public let complete: CompletionHandler?
    /// The source the entry belongs to; set by the catalogue.
    public internal(set) var source = ""
    let descriptorValue: JSONValue

    public init(name: String, descriptor: JSONObject, complete: CompletionHandler? = nil, get: @escaping Get) {
        var patched = descriptor
        patched["name"] = .string(name)
        self.name = name
        self.descriptor = patched
        self.descriptorValue = .object(patched)
        self.complete = complete
        self.get = get
    }
}
