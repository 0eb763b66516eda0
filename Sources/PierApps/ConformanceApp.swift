public import PierServer
import MCPCore
import PierSync
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The fixtures of the official MCP conformance suite's "everything" server (`pier serve --app conformance`),
/// plus a few Pier fixtures for cancellation, structured output and validation tests.
public enum ConformanceApp {
    /// A 1×1 PNG.
    static let png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="

    /// A short silent 8 kHz mono 16-bit WAV, base64.
    static let wav: String = {
        let samples = 800
        var bytes: [UInt8] = []
        func u32(_ v: Int) { bytes += withUnsafeBytes(of: UInt32(v).littleEndian, Array.init) }
        func u16(_ v: Int) { bytes += withUnsafeBytes(of: UInt16(v).littleEndian, Array.init) }
        bytes += Array("RIFF".utf8); u32(36 + samples * 2); bytes += Array("WAVEfmt ".utf8)
        u32(16); u16(1); u16(1); u32(8000); u32(16000); u16(2); u16(16)
        bytes += Array("data".utf8); u32(samples * 2)
        bytes += [UInt8](repeating: 0, count: samples * 2)
        return Data(bytes).base64EncodedString()
    }()

    /// Counts of the slow fixture's outcomes, so tests can see that a cancel reached the handler.
    public struct SlowStats: Sendable {
        public var started = 0
        public var completed = 0
        public var cancelled = 0
    }
    static let slowStats = Locked(SlowStats())
    /// How many times `test://watched-resource` has changed.
    static let watchedVersion = Locked(0)

    /// A tool that changes no state of its own but the server's offer (so not read-only, not destructive).
    static let changesServer = ToolAnnotations(readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false)

    struct SlowInput: Decodable, Sendable { var seconds: Double }
    struct SumInput: Decodable, Sendable {
        var a: Int
        var b: Int
    }
    struct SumOutput: Encodable, Sendable { var sum: Int }

    public static func make() -> MCPApp {
        var app = MCPApp(name: "conformance")
        addContentTools(&app)
        addBehaviourTools(&app)
        addResources(&app)
        addPrompts(&app)
        addChangeFixtures(&app)
        addServerRequestFixtures(&app)
        addInputRequiredFixtures(&app)
        addTaskFixtures(&app)
        return app
    }

    static func addContentTools(_ app: inout MCPApp) {
        app.tool("test_simple_text", description: "Returns a simple text response.", annotations: .readOnly) { _ in
            .text("This is a simple text response for testing.")
        }
        app.tool("test_image_content", description: "Returns a 1x1 PNG image.", annotations: .readOnly) { _ in
            ToolResult(content: [.image(data: png, mimeType: "image/png")])
        }
        app.tool("test_audio_content", description: "Returns a short WAV clip.", annotations: .readOnly) { _ in
            ToolResult(content: [.audio(data: wav, mimeType: "audio/wav")])
        }
        app.tool("test_embedded_resource", description: "Returns an embedded resource.", annotations: .readOnly) { _ in
            ToolResult(content: [
                .resource(ResourceContents(uri: "test://embedded-resource", mimeType: "text/plain", text: "This is an embedded resource content."))
            ])
        }
        app.tool("test_multiple_content_types", description: "Returns text, an image and a resource.", annotations: .readOnly) { _ in
            ToolResult(content: [
                .text("Multiple content types test:"),
                .image(data: png, mimeType: "image/png"),
                .resource(ResourceContents(uri: "test://mixed-content-resource", mimeType: "application/json", text: #"{"test":"data","value":123}"#)),
            ])
        }
    }

    static func addBehaviourTools(_ app: inout MCPApp) {
        app.tool("test_error_handling", description: "Always fails with a tool execution error.", annotations: .readOnly) { _ in
            .error("This tool intentionally returns an error for testing")
        }
        app.tool("test_tool_with_logging", description: "Sends three log messages while it runs.", annotations: .readOnly) { ctx in
            await ctx.log(.info, "Tool execution started")
            try await Task.sleep(for: .milliseconds(50))
            await ctx.log(.info, "Tool processing data")
            try await Task.sleep(for: .milliseconds(50))
            await ctx.log(.info, "Tool execution completed")
            return .text("Tool with logging executed successfully")
        }
        app.tool("test_tool_with_progress", description: "Reports progress 0, 50 and 100 of 100.", annotations: .readOnly) { ctx in
            await ctx.reportProgress(0, total: 100)
            try await Task.sleep(for: .milliseconds(50))
            await ctx.reportProgress(50, total: 100)
            try await Task.sleep(for: .milliseconds(50))
            await ctx.reportProgress(100, total: 100)
            return .text("Tool with progress executed successfully")
        }
        app.tool("test_missing_capability", description: "Needs the client's sampling capability.", annotations: .readOnly) { ctx in
            try ctx.requireClientCapabilities("sampling")
            return .text("The client declared sampling")
        }
        app.tool(
            "test_slow_operation", description: "Sleeps for the given seconds, reporting progress every 100 ms; cancellable.",
            input: SlowInput.self,
            inputSchema: JSONSchema.object(properties: [("seconds", JSONSchema.number(description: "How long to run"))], required: ["seconds"]),
            annotations: .readOnly
        ) { input, ctx in
            slowStats.withLock { $0.started += 1 }
            let steps = max(1, Int(input.seconds * 10))
            do {
                for step in 0..<steps {
                    await ctx.reportProgress(Double(step), total: Double(steps))
                    try await Task.sleep(for: .milliseconds(100))
                }
            } catch {
                slowStats.withLock { $0.cancelled += 1 }
                throw error
            }
            slowStats.withLock { $0.completed += 1 }
            return .text("Slept \(input.seconds) seconds")
        }
        app.tool(
            "test_slow_operation_stats", description: "Reports how many slow operations started, completed and were cancelled.",
            outputSchema: JSONSchema.object(
                properties: [("started", JSONSchema.integer()), ("completed", JSONSchema.integer()), ("cancelled", JSONSchema.integer())],
                required: ["started", "completed", "cancelled"]),
            annotations: .readOnly
        ) { _ in
            let s = slowStats.withLock { $0 }
            return ToolResult(structuredContent: ["started": .int(s.started), "completed": .int(s.completed), "cancelled": .int(s.cancelled)])
        }
        app.tool(
            "test_structured_output", description: "Adds two integers and returns the sum as structured content.",
            input: SumInput.self,
            inputSchema: JSONSchema.object(properties: [("a", JSONSchema.integer()), ("b", JSONSchema.integer())], required: ["a", "b"]),
            outputSchema: JSONSchema.object(properties: [("sum", JSONSchema.integer())], required: ["sum"]),
            annotations: .readOnly
        ) { input, _ in try .structured(SumOutput(sum: input.a + input.b)) }
        app.add(
            ToolDefinition(
                name: "json_schema_2020_12_tool", description: "Tool with JSON Schema 2020-12 features", inputSchema: schema2020,
                annotations: .readOnly
            ) { arguments, _ in
                .text("Contact accepted: " + JSONValue.object(arguments).serializedString())
            })
    }

    /// The conformance suite's JSON Schema 2020-12 input schema: `$schema`, `$defs` with an `$anchor`, `$ref`,
    /// `allOf`/`anyOf`, `if`/`then`/`else` and `additionalProperties: false`, all listed and enforced as given.
    static let schema2020: JSONValue = [
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "$defs": [
            "address": ["$anchor": "addressDef", "type": "object", "properties": ["street": ["type": "string"], "city": ["type": "string"]]]
        ],
        "properties": [
            "name": ["type": "string"], "address": ["$ref": "#/$defs/address"], "contactMethod": ["type": "string", "enum": ["phone", "email"]],
            "phone": ["type": "string"], "email": ["type": "string"],
        ],
        "allOf": [["anyOf": [["required": ["phone"]], ["required": ["email"]]]]],
        "if": ["properties": ["contactMethod": ["const": "phone"]], "required": ["contactMethod"]],
        "then": ["required": ["phone"]],
        "else": ["required": ["email"]],
        "additionalProperties": false,
    ]

    static func addResources(_ app: inout MCPApp) {
        app.textResource(
            uri: "test://static-text", name: "static-text", description: "A static text resource",
            text: "This is the content of the static text resource.")
        app.add(
            ResourceDefinition(uri: "test://static-binary", name: "static-binary", description: "A static PNG", mimeType: "image/png") { _ in
                [ResourceContents(uri: "test://static-binary", mimeType: "image/png", blob: png)]
            })
        app.textResource(uri: "test://embedded-resource", name: "embedded-resource", text: "This is an embedded resource content.")
        app.textResource(
            uri: "test://mixed-content-resource", name: "mixed-content-resource", mimeType: "application/json", text: #"{"test":"data","value":123}"#)
        app.add(
            ResourceTemplateDefinition(
                uriTemplate: "test://template/{id}/data", name: "template-data", description: "Data for an id", mimeType: "application/json",
                completions: ["id": { value, _ in ["1", "2", "3", "42", "123"].filter { $0.hasPrefix(value) } }]
            ) { uri, variables, _ in
                let id = variables["id"] ?? ""
                let body: JSONValue = ["id": .string(id), "templateTest": true, "data": .string("Data for ID: \(id)")]
                return [ResourceContents(uri: uri, mimeType: "application/json", text: body.serializedString())]
            })
    }

    static func addChangeFixtures(_ app: inout MCPApp) {
        app.add(
            ResourceDefinition(uri: "test://watched-resource", name: "watched-resource", description: "Changes when test_update_watched_resource runs", mimeType: "text/plain") { _ in
                [ResourceContents(uri: "test://watched-resource", mimeType: "text/plain", text: "Watched resource version \(watchedVersion.withLock { $0 })")]
            })
        app.tool(
            "test_update_watched_resource", description: "Changes test://watched-resource and notifies subscribers.", annotations: changesServer
        ) { ctx in
            let version = watchedVersion.withLock { v in
                v += 1
                return v
            }
            ctx.server.resourceUpdated(uri: "test://watched-resource")
            return .text("test://watched-resource is now at version \(version)")
        }
        app.tool(
            "test_toggle_dynamic_tool", description: "Adds test_dynamic_tool when absent, removes it when present; clients get tools/list_changed.",
            annotations: changesServer
        ) { ctx in
            if ctx.server.removeTool(named: "test_dynamic_tool") { return .text("removed test_dynamic_tool") }
            try ctx.server.addTool(ToolDefinition(name: "test_dynamic_tool", description: "A tool added at run time.", annotations: .readOnly) { _, _ in
                .text("dynamic tool called")
            })
            return .text("added test_dynamic_tool")
        }
    }

    static func addPrompts(_ app: inout MCPApp) {
        app.add(PromptDefinition(name: "test_simple_prompt", description: "A prompt without arguments") { _, _ in
            PromptResult(messages: [.user("This is a simple prompt for testing.")])
        })
        app.add(
            PromptDefinition(
                name: "test_prompt_with_arguments", description: "A prompt with two arguments",
                arguments: [PromptArgument(name: "arg1", description: "First argument", required: true), PromptArgument(name: "arg2", description: "Second argument", required: true)],
                completions: [
                    "arg1": { value, _ in ["alpha", "beta", "gamma", "paris", "park"].filter { $0.hasPrefix(value) } },
                    "arg2": { value, ctx in ["\(ctx["arg1"] ?? "x")-one", "\(ctx["arg1"] ?? "x")-two"].filter { $0.hasPrefix(value) } },
                ]
            ) { args, _ in
                PromptResult(messages: [.user("Prompt with arguments: arg1='\(args["arg1"] ?? "")', arg2='\(args["arg2"] ?? "")'")])
            })
        app.add(
            PromptDefinition(
                name: "test_prompt_with_embedded_resource", description: "A prompt with an embedded resource",
                arguments: [PromptArgument(name: "resourceUri", description: "URI of the resource to embed", required: true)]
            ) { args, _ in
                let uri = args["resourceUri"] ?? "test://example-resource"
                return PromptResult(messages: [
                    PromptMessage(role: "user", content: .resource(ResourceContents(uri: uri, mimeType: "text/plain", text: "Embedded resource content for testing."))),
                    .user("Please process the embedded resource above."),
                ])
            })
        app.add(PromptDefinition(name: "test_prompt_with_image", description: "A prompt with an image") { _, _ in
            PromptResult(messages: [
                PromptMessage(role: "user", content: .image(data: png, mimeType: "image/png")),
                .user("Please analyze the image above."),
            ])
        })
    }
}
