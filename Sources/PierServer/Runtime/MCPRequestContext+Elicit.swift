public import MCPCore

/// What the user answered to an elicitation.
public struct ElicitationResponse: Sendable, Equatable {
    /// `accept`, `decline` or `cancel`.
    public let action: String
    /// The submitted form, when accepted.
    public let content: JSONObject?

    public var accepted: Bool { action == "accept" }
}

/// What the client's model produced for a sampling request.
public struct SamplingResponse: Sendable, Equatable {
    public let role: String
    /// The content block (or blocks) as sent.
    public let content: JSONValue
    public let model: String?
    public let stopReason: String?

    /// The text of the first text block.
    public var text: String? {
        if let text = content["text"]?.stringValue { return text }
        return content.arrayValue?.lazy.compactMap { $0["text"]?.stringValue }.first
    }
}

/// A root the client exposes.
public struct Root: Sendable, Equatable {
    public let uri: String
    public let name: String?
}

extension MCPRequestContext {
    /// Asks the user for input through the client (form-mode elicitation).
    ///
    /// For a 2026-07-28 client the call returns `input_required` and the handler runs again when the client
    /// retries with the answer (write handlers so running them again is harmless until the answer is in). For a
    /// handshake-era client on stdio or HTTP+SSE, Pier sends `elicitation/create` and waits for the answer.
    /// - Throws: -32021 when a 2026-07-28 client did not declare the `elicitation` capability (a tool error for
    ///   older clients).
    public func elicit(message: String, requestedSchema: JSONValue) async throws -> ElicitationResponse {
        let answer = try await askClient(
            capability: "elicitation", kind: "elicit", method: "elicitation/create",
            params: ["mode": "form", "message": .string(message), "requestedSchema": requestedSchema])
        return ElicitationResponse(action: answer["action"]?.stringValue ?? "cancel", content: answer["content"]?.objectValue)
    }

    /// Asks the client's model for a completion (sampling).
    /// - Throws: -32021 when the client did not declare the `sampling` capability.
    public func sample(messages: [PromptMessage], maxTokens: Int, systemPrompt: String? = nil) async throws -> SamplingResponse {
        var params: JSONObject = ["messages": .array(messages.map(\.json)), "maxTokens": .int(maxTokens)]
        if let systemPrompt { params["systemPrompt"] = .string(systemPrompt) }
        let answer = try await askClient(capability: "sampling", kind: "sample", method: "sampling/createMessage", params: params)
        return SamplingResponse(
            role: answer["role"]?.stringValue ?? "assistant", content: answer["content"] ?? .null, model: answer["model"]?.stringValue,
            stopReason: answer["stopReason"]?.stringValue)
    }

    /// Asks the client for its roots.
    /// - Throws: -32021 when the client did not declare the `roots` capability.
    public func listRoots() async throws -> [Root] {
        let answer = try await askClient(capability: "roots", kind: "roots", method: "roots/list", params: [:])
        return (answer["roots"]?.arrayValue ?? []).compactMap { r in r["uri"]?.stringValue.map { Root(uri: $0, name: r["name"]?.stringValue) } }
    }

    /// One input request: the answer when this round has it, else `input_required` for it.
    func askClient(capability: String, kind: String, method: String, params: JSONObject) async throws -> JSONObject {
        // A modern client without the capability gets -32021; a handshake-era one, a tool error it can show.
        if !client.version.isModern, !client.hasCapability(capability) {
            throw ToolError("This tool needs the client's \(capability) capability, which this client did not declare.")
        }
        try requireClientCapabilities(capability)
        if !client.version.isModern, let requests = client.requests {
            return try await requests.request(method: method, params: params)
        }
        guard client.version.isModern, let inputs else {
            throw ToolError(
                "This tool asks the client for input, which this connection cannot carry; use a 2026-07-28 client, stdio, or the HTTP+SSE transport.")
        }
        let key = inputs.nextKey(kind)
        if case .object(let answer)? = inputs.response(key) { return answer }
        throw InputRequired(requests: [key: ["method": .string(method), "params": .object(params)]])
    }
}
