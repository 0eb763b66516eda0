import MCPCore
import PierServer

/// The fixtures of the conformance suite's tasks scenarios (the `io.modelcontextprotocol/tasks` extension).
extension ConformanceApp {
    struct GreetInput: Decodable, Sendable { var name: String }
    struct ComputeInput: Decodable, Sendable {
        var seconds: Double
        var label: String?
    }
    struct FileInput: Decodable, Sendable { var filename: String }
    struct NoInput: Decodable, Sendable {}

    static func addTaskFixtures(_ app: inout MCPApp) {
        let noArguments = JSONSchema.object()
        app.tool(
            "greet", description: "Greets by name, always in the call itself.", input: GreetInput.self,
            inputSchema: JSONSchema.object(properties: [("name", JSONSchema.string())], required: ["name"]), annotations: .readOnly
        ) { input, _ in .text("Hello, \(input.name)!") }
        app.taskTool(
            "slow_compute", description: "Works for the given seconds; runs as a task for clients that support them.", input: ComputeInput.self,
            inputSchema: JSONSchema.object(properties: [("seconds", JSONSchema.number()), ("label", JSONSchema.string())], required: ["seconds"]),
            annotations: .readOnly
        ) { input, _ in
            try await Task.sleep(for: .milliseconds(Int(max(0, input.seconds) * 1000)))
            return .text("Computed \(input.label ?? "result") in \(input.seconds) s")
        }
        app.taskTool(
            "failing_job", description: "Always ends in a tool error; must run as a task.", input: NoInput.self, inputSchema: noArguments,
            annotations: .readOnly, support: .required
        ) { _, _ in .error("Tool execution failed") }
        app.taskTool(
            "protocol_error_job", description: "Always ends in a protocol error.", input: NoInput.self, inputSchema: noArguments, annotations: .readOnly
        ) { _, _ in throw MCPError(code: -32603, message: "Protocol task failed") }
        app.taskTool(
            "confirm_delete", description: "Asks the user to confirm (a fixture: nothing is deleted).", input: FileInput.self,
            inputSchema: JSONSchema.object(properties: [("filename", JSONSchema.string())], required: ["filename"]), annotations: .readOnly
        ) { input, ctx in
            let answer = try await ctx.elicit(message: "Delete \(input.filename)?", requestedSchema: field("confirm", "boolean"))
            let confirmed = answer.accepted && answer.content?["confirm"] == true
            return .text(confirmed ? "Deleted \(input.filename)" : "Kept \(input.filename)")
        }
        app.taskTool(
            "multi_input", description: "Asks two questions at once.", input: NoInput.self, inputSchema: noArguments, annotations: .readOnly
        ) { _, ctx in
            let answers = try await ctx.ask([
                .elicitation(message: "First value?", requestedSchema: field("name", "string")),
                .elicitation(message: "Second value?", requestedSchema: field("name", "string")),
            ])
            let names = answers.map { $0.elicitation.content?["name"]?.stringValue ?? "?" }
            return .text("Got \(names[0]) and \(names[1])")
        }
        app.taskTool(
            "test_tool_with_task", description: "Asks a name in the call, then greets as a task.", input: NoInput.self, inputSchema: noArguments,
            annotations: .readOnly, support: .required,
            prepare: { _, ctx in
                let answer = try await ctx.elicit(message: "What is your name?", requestedSchema: field("name", "string"), key: "user_name")
                return answer.content?["name"] ?? "there"
            }
        ) { _, ctx in
            try await Task.sleep(for: .milliseconds(200))
            return .text("Hello, \(ctx.prepared?.stringValue ?? "there")!")
        }
    }
}
