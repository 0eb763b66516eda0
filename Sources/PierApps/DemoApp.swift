public import PierServer
import MCPCore
import PierWidgets

/// The small app `pier serve` runs by default: an `echo` tool for smoke tests and benchmarks, and an
/// arithmetic tool that shows structured output.
public enum DemoApp {
    struct EchoInput: Decodable, Sendable { var text: String }
    struct AddInput: Decodable, Sendable {
        var a: Double
        var b: Double
    }
    struct Sum: Encodable, Sendable { var sum: Double }

    /// Callable without signing in, said the way ChatGPT reads it (top level and mirrored in `_meta`).
    static let noAuth: JSONValue = [SecurityScheme.noAuth.json]

    public static func make() -> MCPApp {
        var app = MCPApp(name: "demo")
        app.tool(
            "echo", title: "Echo",
            description: "Use this when you need text repeated back exactly, for example to test the connection.",
            input: EchoInput.self,
            inputSchema: JSONSchema.object(properties: [("text", JSONSchema.string(description: "The text to send back"))], required: ["text"]),
            annotations: .readOnly, meta: ["securitySchemes": noAuth], extra: ["securitySchemes": noAuth]
        ) { input, _ in .text(input.text) }
        app.tool(
            "add_numbers", title: "Add numbers",
            description: "Use this when you need the sum of two numbers.",
            input: AddInput.self,
            inputSchema: JSONSchema.object(properties: [("a", JSONSchema.number()), ("b", JSONSchema.number())], required: ["a", "b"]),
            outputSchema: JSONSchema.object(properties: [("sum", JSONSchema.number())], required: ["sum"]),
            annotations: .readOnly, meta: ["securitySchemes": noAuth], extra: ["securitySchemes": noAuth]
        ) { input, _ in try .structured(Sum(sum: input.a + input.b)) }
        return app
    }
}
