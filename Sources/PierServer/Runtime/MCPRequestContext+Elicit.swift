public import MCPCore

/// What the user answered to an elicitation.
public struct ElicitationResponse: Sendable, Equatable {
    /// `accept`, `decline` or `cancel`.
    public let action: String
    /// The submitted form, when accepted.
    public let content: JSONObject?

    public var accepted: Bool { action == "accept" }

    init(_ answer: JSONObject) {
        self.action = answer["action"]?.stringValue ?? "cancel"
        self.content = answer["content"]?.objectValue
    }
}

/// What the client's model produced for a sampling request.
public struct SamplingResponse: Sendable, Equatable {
    public let role: String
    /// The content block (or blocks) as sent.
    public let content: JSONValue
    public let model: String?
    public let stopReason: String?

    init(_ answer: JSONObject) {
        self.role = answer["role"]?.stringValue ?? "assistant"
        self.content = answer["content"] ?? .null
        self.model = answer["model"]?.stringValue
        self.stopReason = answer["stopReason"]?.stringValue
    }

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

    static func list(_ answer: JSONObject) -> [Root] {
        (answer["roots"]?.arrayValue ?? []).compactMap { r in r["uri"]?.stringValue.map { Root(uri: $0, name: r["name"]?.stringValue) } }
    }
}

/// One thing a handler asks the client for: a form for the user, a completion from the client's model, or the
/// client's roots.
public struct InputRequest: Sendable {
    /// The key the request goes under in a 2026-07-28 `inputRequests` map; `nil` numbers it by kind.
    public let key: String?
    let capability: String
    let kind: String
    let method: String
    let params: JSONObject

    /// A form-mode elicitation: `message` shown to the user, `requestedSchema` the flat object schema of the form.
    public static func elicitation(message: String, requestedSchema: JSONValue, key: String? = nil) -> InputRequest {
        InputRequest(
            key: key, capability: "elicitation", kind: "elicit", method: "elicitation/create",
            params: ["mode": "form", "message": .string(message), "requestedSchema": requestedSchema])
    }

    /// A completion from the client's model.
    public static func sampling(messages: [PromptMessage], maxTokens: Int, systemPrompt: String? = nil, key: String? = nil) -> InputRequest {
        var params: JSONObject = ["messages": .array(messages.map(\.json)), "maxTokens": .int(maxTokens)]
        if let systemPrompt { params["systemPrompt"] = .string(systemPrompt) }
        return InputRequest(key: key, capability: "sampling", kind: "sample", method: "sampling/createMessage", params: params)
    }

    /// The client's roots.
    public static func roots(key: String? = nil) -> InputRequest {
        InputRequest(key: key, capability: "roots", kind: "roots", method: "roots/list", params: [:])
    }

    /// Any request as it is, for shapes Pier does not model (URL-mode elicitation, sampling with tools) and for
    /// passing on an upstream server's request: `method` and `params` go to the client unchanged, after a check
    /// that it declared `capability`. A form-mode elicitation's answer is still checked against its schema.
    public static func raw(method: String, params: JSONObject, capability: String, key: String? = nil) -> InputRequest {
        let kind: String
        switch method {
        case "elicitation/create": kind = "elicit"
        case "sampling/createMessage": kind = "sample"
        case "roots/list": kind = "roots"
        default: kind = String(method.split(separator: "/").last ?? "input")
        }
        return InputRequest(key: key, capability: capability, kind: kind, method: method, params: params)
    }
}

/// The client's answer to one ``InputRequest``, read as the kind that was asked.
public struct InputAnswer: Sendable, Equatable {
    /// The answer as the client sent it.
    public let json: JSONObject

    public var elicitation: ElicitationResponse { ElicitationResponse(json) }
    public var sampling: SamplingResponse { SamplingResponse(json) }
    public var roots: [Root] { Root.list(json) }
}

extension MCPRequestContext {
    /// Asks the user for input through the client (form-mode elicitation).
    ///
    /// For a 2026-07-28 client the call returns `input_required` and the handler runs again when the client
    /// retries with the answer (write handlers so running them again is harmless until the answer is in). For a
    /// handshake-era client, Pier sends `elicitation/create` on the call's stream and waits for the answer.
    /// - Throws: -32021 when a 2026-07-28 client did not declare the `elicitation` capability (a tool error for
    ///   older clients).
    public func elicit(message: String, requestedSchema: JSONValue, key: String? = nil) async throws -> ElicitationResponse {
        try await ask([.elicitation(message: message, requestedSchema: requestedSchema, key: key)])[0].elicitation
    }

    /// Asks the client's model for a completion (sampling).
    /// - Throws: -32021 when the client did not declare the `sampling` capability.
    public func sample(messages: [PromptMessage], maxTokens: Int, systemPrompt: String? = nil, key: String? = nil) async throws -> SamplingResponse {
        try await ask([.sampling(messages: messages, maxTokens: maxTokens, systemPrompt: systemPrompt, key: key)])[0].sampling
    }

    /// Asks the client for its roots.
    /// - Throws: -32021 when the client did not declare the `roots` capability.
    public func listRoots(key: String? = nil) async throws -> [Root] {
        try await ask([.roots(key: key)])[0].roots
    }

    /// Asks the client several things at once and returns the answers in the order asked.
    ///
    /// A 2026-07-28 client gets every unanswered request in one `input_required` result. A handshake-era client
    /// gets them one after another as server→client requests. An accepted elicitation is checked against its
    /// schema before the handler sees it.
    /// - Throws: -32021 (modern) or a ``ToolError`` (legacy) when the client did not declare a capability asked for.
    public func ask(_ requests: [InputRequest]) async throws -> [InputAnswer] {
        for request in requests {
            // A modern client without the capability gets -32021; a handshake-era one, a tool error it can show.
            if !client.version.isModern, !client.hasCapability(request.capability) {
                throw ToolError("This tool needs the client's \(request.capability) capability, which this client did not declare.")
            }
            try requireClientCapabilities(request.capability)
        }
        if let task {
            // A task parks as input_required; the answers come through tasks/update.
            let keyed = requests.map { request -> (key: String, request: JSONObject) in
                (request.key ?? "\(request.kind)-\(task.nextInputNumber())", ["method": .string(request.method), "params": .object(request.params)])
            }
            let answers = try await task.awaitInputs(keyed)
            for (request, answer) in zip(requests, answers) { try Self.check(answer, for: request) { ToolError($0) } }
            return answers.map { InputAnswer(json: $0) }
        }
        if !client.version.isModern {
            guard let channel = client.requests else {
                throw ToolError(
                    "This tool asks the client for input, which this connection cannot carry; use SSE responses, stdio, HTTP+SSE, or a 2026-07-28 client.")
            }
            var answers: [InputAnswer] = []
            for request in requests {
                let answer = try await channel.request(method: request.method, params: request.params)
                try Self.check(answer, for: request) { ToolError($0) }
                answers.append(InputAnswer(json: answer))
            }
            return answers
        }
        // Without answers yet, every request asked is missing: the first round numbers its keys from 1.
        guard let inputs = inputs ?? (mayAsk ? InputRound(responses: [:], resumed: false) : nil) else {
            throw ToolError("This request cannot ask the client for input.")
        }
        var answers: [InputAnswer] = []
        var missing = JSONObject()
        for request in requests {
            let key = request.key ?? inputs.nextKey(request.kind)
            if case .object(let answer)? = inputs.response(key) {
                try Self.check(answer, for: request) { MCPError.invalidParams("inputResponses[\"\(key)\"]: \($0)") }
                answers.append(InputAnswer(json: answer))
            } else {
                missing[key] = ["method": .string(request.method), "params": .object(request.params)]
            }
        }
        if !missing.isEmpty { throw InputRequired(requests: missing) }
        return answers
    }

    /// Checks an accepted elicitation's content against the schema that was asked for.
    static func check<E: Error>(_ answer: JSONObject, for request: InputRequest, error: (String) -> E) throws(E) {
        guard request.method == "elicitation/create", answer["action"]?.stringValue == "accept",
            let schema = request.params["requestedSchema"], let content = answer["content"]
        else { return }
        let problems = SchemaValidator(schema: schema).validate(content)
        if !problems.isEmpty { throw error("the answer does not match the requested form: " + problems.joined(separator: "; ")) }
    }
}
