import MCPCore
import PierServer
import PierTesting
import Testing

/// Catalogue entries by source: raw JSON in and out, whole sets replaced in one step.
@Suite struct CatalogTests {
    static func server() throws -> MCPServer { try MCPServer(info: Implementation(name: "t", version: "0"), apps: []) }

    static func rawTool(_ name: String, readOnly: Bool = true) throws -> ToolEntry {
        try ToolEntry(name: name, descriptor: ["inputSchema": ["type": "object"], "annotations": ["readOnlyHint": .bool(readOnly)]]) { _, _ in
            .result(["content": [["type": "text", "text": .string(name)]]])
        }
    }

    /// The events published until (and without) the marker resource update, which is sent after the changes.
    static func events(of server: MCPServer, during change: () throws -> Void) async rethrows -> [ServerEvent] {
        let stream = server.events()
        try change()
        server.resourceUpdated(uri: "marker://end")
        var seen: [ServerEvent] = []
        for await event in stream {
            if event == .resourceUpdated(uri: "marker://end") { break }
            seen.append(event)
        }
        return seen
    }

    static func name(_ i: Int) -> String { "tool_" + String(repeating: "0", count: 3 - String(i).count) + String(i) }

    @Test func fiveHundredEntriesFromOneSourceInOneStepPublishOneEvent() async throws {
        let server = try Self.server()
        let tools = try (0..<500).reversed().map { try Self.rawTool(Self.name($0)) }
        let seen = try await Self.events(of: server) { try server.replace(source: "upstream", with: CatalogEntries(tools: tools)) }
        #expect(seen == [.toolsChanged])
        let listed = try await MCPTestClient(server: server).listTools()
        #expect(listed.count == 500)
        #expect(listed.compactMap { $0["name"]?.stringValue } == (0..<500).map(Self.name))
        #expect(server.entries(of: "upstream").tools.count == 500 && server.sources == ["upstream"])
        // The same descriptors again change nothing a client can see, so nothing is published.
        let again = try await Self.events(of: server) { try server.replace(source: "upstream", with: CatalogEntries(tools: tools)) }
        #expect(again.isEmpty)
    }

    @Test func aNameAnotherSourceServesIsRefusedAndNothingChanges() async throws {
        let server = try Self.server()
        try server.replace(source: "a", with: CatalogEntries(tools: [try Self.rawTool("shared"), try Self.rawTool("only_a")]))
        #expect { try server.replace(source: "b", with: CatalogEntries(tools: [try Self.rawTool("fine"), try Self.rawTool("shared")])) } throws: {
            ($0 as? RegistrationError)?.message == "duplicate tool name \"shared\", already served by a"
        }
        #expect(server.tools.map(\.name) == ["only_a", "shared"] && server.entries(of: "b").tools.isEmpty)
        #expect(throws: RegistrationError.self) { try server.replace(source: "c", with: CatalogEntries(tools: [try Self.rawTool("x"), try Self.rawTool("x")])) }
        #expect(throws: RegistrationError.self) { try Self.rawTool("has space") }
        // An empty set removes the source, with one event.
        let seen = try await Self.events(of: server) { try server.replace(source: "a", with: CatalogEntries()) }
        #expect(seen == [.toolsChanged] && server.tools.isEmpty && server.sources.isEmpty)
    }

    @Test func rawEntriesAreServedVerbatimAndUnknownKeysSurvive() async throws {
        let descriptor: JSONObject = [
            "name": "ignored", "description": "d", "inputSchema": ["type": "object", "x-vendor": true],
            "annotations": ["readOnlyHint": true, "x-cost": "low"], "icons": [["src": "https://i.example/a.png", "x-shape": "round"]],
            "securitySchemes": [["type": "oauth2", "scopes": ["read"]]], "_meta": ["openai/outputTemplate": "ui://widget/x.html"],
            "x-future": ["nested": [1, 2.5, "twelve"]],
        ]
        let result: JSONObject = [
            "content": [["type": "text", "text": "hi", "x-block": 1]], "structuredContent": ["n": 1], "x-result": "kept", "_meta": ["k": "v"],
        ]
        let tool = try ToolEntry(name: "upstream__echo", descriptor: descriptor) { arguments, _ in
            #expect(arguments == ["anything": ["goes": true]])
            return .result(result)
        }
        let contents: JSONObject = ["contents": [["uri": "ui://widget/x.html", "mimeType": "text/html;profile=mcp-app", "text": "<p>", "x-c": 1]], "x-read": 2]
        let resource = ResourceEntry(uri: "ui://widget/x.html", descriptor: ["name": "x", "x-r": true]) { _ in contents }
        let messages: JSONObject = ["messages": [["role": "user", "content": ["type": "text", "text": "q"], "x-m": 3]], "x-get": 4]
        let prompt = PromptEntry(name: "upstream__ask", descriptor: ["x-p": true]) { arguments, _ in
            #expect(arguments == ["free": 1])
            return messages
        }
        let server = try Self.server()
        try server.replace(source: "upstream", with: CatalogEntries(tools: [tool], resources: [resource], prompts: [prompt]))
        let client = MCPTestClient(server: server)
        var served = descriptor
        served["name"] = "upstream__echo"
        #expect(try await client.listTools() == [served])
        let called = try await client.request(Method.toolsCall, ["name": "upstream__echo", "arguments": ["anything": ["goes": true]]])
        for member in result { #expect(called[member.key] == member.value || member.key == "_meta") }
        #expect(called["_meta"]?["k"] == "v")
        let listed = try await client.request(Method.resourcesList)["resources"]
        #expect(listed == [["name": "x", "x-r": true, "uri": "ui://widget/x.html"]])
        let read = try await client.request(Method.resourcesRead, ["uri": "ui://widget/x.html"])
        #expect(read["contents"] == contents["contents"] && read["x-read"] == 2)
        let got = try await client.request(Method.promptsGet, ["name": "upstream__ask", "arguments": ["free": 1]])
        #expect(got["messages"] == messages["messages"] && got["x-get"] == 4)
        let prompts = try await client.request(Method.promptsList)["prompts"]
        #expect(prompts == [["x-p": true, "name": "upstream__ask"]])
    }

    @Test func typedDefinitionsKeepTheirExtraFields() async throws {
        var app = MCPApp(name: "typed")
        app.add(
            ToolDefinition(
                name: "t", description: "d",
                annotations: ToolAnnotations(readOnlyHint: true, destructiveHint: false, openWorldHint: false, extra: ["x-cost": "low"]),
                icons: [Icon(src: "https://i.example/a.png", extra: ["x-shape": "round"])]
            ) { _, _ in
                var result = ToolResult.text("ok")
                result.extra = ["x-result": true]
                return result
            })
        var body = ResourceContents(uri: "r://1", text: "body")
        body.extra = ["x-c": 1]
        let contents = body
        var resource = ResourceDefinition(uri: "r://1", name: "one") { _ in [contents] }
        resource.extra = ["x-r": true]
        app.add(resource)
        var question = PromptMessage.user("q")
        question.extra = ["x-m": 1]
        let message = question
        app.add(PromptDefinition(name: "p") { _, _ in PromptResult(messages: [message]) })
        let client = try MCPTestClient(apps: [app])
        let tool = try #require(try await client.listTools().first)
        #expect(tool["annotations"]?["x-cost"] == "low" && tool["icons"]?.arrayValue?.first?["x-shape"] == "round")
        #expect(try await client.callTool("t").json["x-result"] == true)
        #expect(try await client.request(Method.resourcesList)["resources"]?.arrayValue?.first?["x-r"] == true)
        #expect(try await client.readResource("r://1").first?["x-c"] == 1)
        #expect(try await client.request(Method.promptsGet, ["name": "p"])["messages"]?.arrayValue?.first?["x-m"] == 1)
    }
}
