import MCPCore
import PierServer
import PierTesting
import Testing

/// A view presenting a tool under another name, with a parameter pinned and another defaulted.
@Suite struct ToolOverlayTests {
    static func server() throws -> MCPServer {
        let schema: JSONObject = [
            "type": "object",
            "properties": ["repo": ["type": "string"], "query": ["type": "string"], "limit": ["type": "integer"]],
            "required": ["repo", "query", "limit"],
        ]
        let search = try ToolEntry(
            name: "gh__search", descriptor: ["description": "Searches any repository.", "inputSchema": .object(schema), "annotations": ["readOnlyHint": true]]
        ) { arguments, _ in
            .result(["content": [["type": "text", "text": .string(JSONValue.object(arguments).serializedString())]]])
        }
        let server = try MCPServer(info: Implementation(name: "t", version: "0"), apps: [])
        try server.addTool(search)
        return server
    }

    static let view = CatalogView(
        name: "docs",
        overlays: [
            "gh__search": ToolOverlay(
                name: "search_docs", title: "Search the docs", description: "Searches Pier's docs.", annotations: ["openWorldHint": false],
                fixed: ["repo": "pier"], defaults: ["limit": 5])
        ], info: Implementation(name: "pier-docs", version: "1"), instructions: "Docs only.")

    @Test func listingShowsThePresentedTool() async throws {
        let client = MCPTestClient(server: try Self.server(), view: Self.view)
        let tools = try await client.listTools()
        #expect(tools.count == 1)
        let tool = tools[0]
        #expect(tool["name"] == "search_docs" && tool["title"] == "Search the docs" && tool["description"] == "Searches Pier's docs.")
        #expect(tool["annotations"]?["readOnlyHint"] == true && tool["annotations"]?["openWorldHint"] == false)
        let properties = tool["inputSchema"]?["properties"]?.objectValue
        #expect(properties?["repo"] == nil)
        #expect(properties?["limit"]?["default"] == 5)
        #expect(tool["inputSchema"]?["required"] == ["query"])
    }

    @Test func callingSendsTheFixedAndDefaultedValues() async throws {
        let client = MCPTestClient(server: try Self.server(), view: Self.view)
        let text = try await client.callTool("search_docs", arguments: ["query": "views", "repo": "elsewhere"]).text
        #expect(text == #"{"query":"views","repo":"pier","limit":5}"#)
        let chosen = try await client.callTool("search_docs", arguments: ["query": "x", "limit": 50]).text
        #expect(chosen == #"{"query":"x","limit":50,"repo":"pier"}"#)
        // Renamed away: the catalogue name is not callable through this view.
        await #expect { try await client.callTool("gh__search", arguments: ["query": "x"]) } throws: { ($0 as? MCPError)?.code == ErrorCode.invalidParams }
        // The whole catalogue still has it under its own name.
        #expect(try await MCPTestClient(server: client.server).callTool("gh__search", arguments: ["repo": "r", "query": "q", "limit": 1]).text != nil)
    }

    @Test func theViewAnswersWithItsOwnServerInfo() async throws {
        let client = MCPTestClient(server: try Self.server(), view: Self.view)
        let discover = try await client.request(Method.discover)
        #expect(discover["instructions"] == "Docs only.")
        #expect(discover["_meta"]?[MetaKey.serverInfo]?["name"] == "pier-docs")
        let initialize = client.server.initializeResult(version: .v2025_11_25, view: Self.view)
        #expect(initialize["serverInfo"]?["name"] == "pier-docs")
    }
}
