import MCPCore
import PierServer

/// The fixtures that ask the client for input: the handshake-era server-request scenarios and the 2026-07-28
/// `input_required` (MRTR) scenarios. Each uses the one ``MCPRequestContext`` API, so every one of them works
/// in both eras.
extension ConformanceApp {
    struct MessageInput: Decodable, Sendable { var message: String }
    struct PromptInput: Decodable, Sendable { var prompt: String }

    static func addServerRequestFixtures(_ app: inout MCPApp) {
        app.tool(
            "test_sampling", description: "Asks the client's model to complete a prompt (sampling).", input: PromptInput.self,
            inputSchema: JSONSchema.object(properties: [("prompt", JSONSchema.string(description: "The prompt to send to the LLM"))], required: ["prompt"]),
            annotations: .readOnly
        ) { input, ctx in
            let answer = try await ctx.sample(messages: [.user(input.prompt)], maxTokens: 100)
            return .text("LLM response: \(answer.text ?? "")")
        }
        let contact = JSONSchema.object(
            properties: [("username", JSONSchema.string(description: "User's response")), ("email", JSONSchema.string(description: "User's email address"))],
            required: ["username", "email"])
        app.tool(
            "test_elicitation", description: "Asks the user for a username and email (form elicitation).", input: MessageInput.self,
            inputSchema: JSONSchema.object(properties: [("message", JSONSchema.string(description: "The message to show the user"))], required: ["message"]),
            annotations: .readOnly
        ) { input, ctx in
            let answer = try await ctx.elicit(message: input.message, requestedSchema: contact)
            return .text("User response: <action: \(answer.action), content: \(contentText(answer))>")
        }
        app.tool("test_elicitation_sep1034_defaults", description: "Asks for a form whose fields all carry defaults (SEP-1034).", annotations: .readOnly) { ctx in
            let answer = try await ctx.elicit(message: "Please review your details", requestedSchema: defaultsSchema)
            return .text("Elicitation completed: action=\(answer.action), content=\(contentText(answer))")
        }
        app.tool("test_elicitation_sep1330_enums", description: "Asks for a form with every enum shape (SEP-1330).", annotations: .readOnly) { ctx in
            let answer = try await ctx.elicit(message: "Please make your choices", requestedSchema: enumsSchema)
            return .text("Elicitation completed: action=\(answer.action), content=\(contentText(answer))")
        }
    }

    static func contentText(_ answer: ElicitationResponse) -> String {
        answer.content.map { JSONValue.object($0).serializedString() } ?? "{}"
    }

    /// SEP-1034: a default for every primitive type.
    static let defaultsSchema: JSONValue = [
        "type": "object",
        "properties": [
            "name": ["type": "string", "description": "Your name", "default": "John Doe"],
            "age": ["type": "integer", "description": "Your age", "default": 30],
            "score": ["type": "number", "description": "Your score", "default": 95.5],
            "status": ["type": "string", "description": "Account status", "enum": ["active", "inactive", "pending"], "default": "active"],
            "verified": ["type": "boolean", "description": "Whether you are verified", "default": true],
        ],
    ]

    /// SEP-1330: the five enum shapes.
    static let enumsSchema: JSONValue = [
        "type": "object",
        "properties": [
            "untitledSingle": ["type": "string", "enum": ["option1", "option2", "option3"]],
            "titledSingle": [
                "type": "string",
                "oneOf": [["const": "value1", "title": "First Option"], ["const": "value2", "title": "Second Option"], ["const": "value3", "title": "Third Option"]],
            ],
            "legacyEnum": ["type": "string", "enum": ["opt1", "opt2", "opt3"], "enumNames": ["Option One", "Option Two", "Option Three"]],
            "untitledMulti": ["type": "array", "items": ["type": "string", "enum": ["option1", "option2", "option3"]]],
            "titledMulti": [
                "type": "array",
                "items": ["anyOf": [["const": "value1", "title": "First Choice"], ["const": "value2", "title": "Second Choice"], ["const": "value3", "title": "Third Choice"]]],
            ],
        ],
    ]

    static func field(_ name: String, _ type: String) -> JSONValue {
        ["type": "object", "properties": [name: ["type": .string(type)]], "required": [.string(name)]]
    }

    static func addInputRequiredFixtures(_ app: inout MCPApp) {
        let askName = InputRequest.elicitation(message: "What is your name?", requestedSchema: field("name", "string"), key: "user_name")
        let confirm = InputRequest.elicitation(message: "Please confirm", requestedSchema: field("ok", "boolean"), key: "confirm")
        app.tool("test_input_required_result_elicitation", description: "Asks the user's name, then greets them.", annotations: .readOnly) { ctx in
            let answer = try await ctx.ask([askName])[0].elicitation
            guard answer.accepted, let name = answer.content?["name"]?.stringValue else { return .text("No name given (\(answer.action))") }
            return .text("Hello, \(name)!")
        }
        app.tool("test_input_required_result_sampling", description: "Asks the client's model a question (sampling).", annotations: .readOnly) { ctx in
            let answer = try await ctx.sample(messages: [.user("What is the capital of France?")], maxTokens: 100, key: "capital_question")
            return .text("LLM response: \(answer.text ?? "")")
        }
        app.tool("test_input_required_result_list_roots", description: "Lists the client's roots.", annotations: .readOnly) { ctx in
            let roots = try await ctx.listRoots(key: "client_roots")
            return .text("Roots: " + roots.map(\.uri).joined(separator: ", "))
        }
        app.tool("test_input_required_result_request_state", description: "Asks for a confirmation and checks the echoed requestState.", annotations: .readOnly) { ctx in
            let answer = try await ctx.ask([confirm])[0].elicitation
            guard ctx.resumedFromVerifiedState else { return .error("The answer came without the requestState this tool issued") }
            return .text("state-ok: the echoed requestState was verified (action=\(answer.action))")
        }
        app.tool("test_input_required_result_tampered_state", description: "Asks for a confirmation; a changed requestState is refused.", annotations: .readOnly) { ctx in
            let answer = try await ctx.ask([confirm])[0].elicitation
            guard ctx.resumedFromVerifiedState else { return .error("The answer came without the requestState this tool issued") }
            return .text("Request state verified; the call is complete (action=\(answer.action))")
        }
        app.tool("test_input_required_result_multiple_inputs", description: "Asks for a form, a completion and the roots in one round.", annotations: .readOnly) { ctx in
            let answers = try await ctx.ask([
                askName,
                .sampling(messages: [.user("Generate a greeting")], maxTokens: 50, key: "greeting"),
                .roots(key: "client_roots"),
            ])
            let name = answers[0].elicitation.content?["name"]?.stringValue ?? "?"
            return .text("name=\(name) greeting=\(answers[1].sampling.text ?? "") roots=\(answers[2].roots.count)")
        }
        app.tool("test_input_required_result_multi_round", description: "Asks two questions, one round each.", annotations: .readOnly) { ctx in
            let first = try await ctx.elicit(message: "Step 1: What is your name?", requestedSchema: field("name", "string"), key: "step1")
            let second = try await ctx.elicit(message: "Step 2: What is your favorite color?", requestedSchema: field("color", "string"), key: "step2")
            return .text("name=\(first.content?["name"]?.stringValue ?? "?") color=\(second.content?["color"]?.stringValue ?? "?")")
        }
        app.tool("test_input_required_result_capabilities", description: "Asks only for the kinds of input the client declared.", annotations: .readOnly) { ctx in
            var requests: [InputRequest] = []
            if ctx.client.hasCapability("elicitation") {
                requests.append(.elicitation(message: "Any value", requestedSchema: field("value", "string"), key: "elicitation"))
            }
            if ctx.client.hasCapability("sampling") { requests.append(.sampling(messages: [.user("Say hello")], maxTokens: 20, key: "sampling")) }
            if ctx.client.hasCapability("roots") { requests.append(.roots(key: "roots")) }
            guard !requests.isEmpty else { return .text("The client declared no input capability, so nothing was asked") }
            _ = try await ctx.ask(requests)
            return .text("capabilities-ok: answered " + requests.compactMap(\.key).joined(separator: ","))
        }
        app.add(
            PromptDefinition(name: "test_input_required_result_prompt", description: "A prompt that asks the user for its context first") { _, ctx in
                let answer = try await ctx.elicit(
                    message: "What context should the prompt use?", requestedSchema: field("context", "string"), key: "user_context")
                let context = answer.content?["context"]?.stringValue ?? "none"
                return PromptResult(description: "A prompt built from the user's context", messages: [.user("Answer with this context in mind: \(context)")])
            })
    }
}
