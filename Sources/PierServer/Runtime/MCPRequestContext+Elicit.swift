public import MCPCore

/// What the user answered to an elicitation.
public struct ElicitationResponse: Sendable, Equatable {
    /// `accept`, `decline` or `cancel`.
    public let action: String
    /// The submitted form, when accepted.
    public let content: JSONObject?

    public var accepted: Bool { action == "accept" }
}

extension MCPRequestContext {
    /// Asks the user for input through the client (form-mode elicitation).
    ///
    /// For a 2026-07-28 client the call returns `input_required` and the handler runs again when the client
    /// retries with the answer (write handlers so running them again is harmless until the answer is in).
    /// - Throws: -32021 when the client did not declare the `elicitation` capability.
    public func elicit(message: String, requestedSchema: JSONValue) async throws -> ElicitationResponse {
        try requireClientCapabilities("elicitation")
        guard client.version.isModern, let inputs else {
            throw ToolError("This tool asks for input, which Pier supports for 2026-07-28 clients; reconnect with a newer client.")
        }
        let key = inputs.nextKey("elicit")
        if case .object(let answer)? = inputs.response(key) {
            return ElicitationResponse(action: answer["action"]?.stringValue ?? "cancel", content: answer["content"]?.objectValue)
        }
        throw InputRequired(requests: [
            key: ["method": "elicitation/create", "params": ["mode": "form", "message": .string(message), "requestedSchema": requestedSchema]]
        ])
    }
}
