import MCPCore
import PierServer
import PierTesting
import Testing

/// One catalogue served through several views of one `MCPServer`.
@Suite struct ViewTests {
    static let hints = ToolAnnotations(readOnlyHint: true, destructiveHint: false, openWorldHint: false)
    static let writes = ToolAnnotations(readOnlyHint: false, destructiveHint: true, openWorldHint: false)

    static func server() throws -> MCPServer {
        var app = MCPApp(name: "local")
        app.tool("read_notes", description: "Reads the notes.", annotations: hints) { _ in .text("notes") }
        app.tool("delete_notes", description: "Deletes the notes.", annotations: writes) { _ in .text("deleted") }
        app.textResource(uri: "notes://all", name: "notes", text: "every note")
        app.add(PromptDefinition(name: "summarize") { _, _ in PromptResult(messages: [.user("summarize")]) })
        var other = MCPApp(name: "other")
        other.tool("admin_wipe", description: "Wipes everything.", annotations: writes) { _ in .text("wiped") }
        other.textResource(uri: "other://secret", name: "secret", text: "s")
        return try MCPServer(info: Implementation(name: "t", version: "0"), apps: [app, other])
    }

    static func names(_ tools: [JSONObject]) -> [String] { tools.compactMap { $0["name"]?.stringValue } }

    @Test func oneCatalogueThroughTwoViews() async throws {
        let server = try Self.server()
        let all = MCPTestClient(server: server)
        let readOnly = MCPTestClient(server: server, view: .readOnly)
        #expect(Self.names(try await all.listTools()) == ["admin_wipe", "delete_notes", "read_notes"])
        #expect(Self.names(try await readOnly.listTools()) == ["read_notes"])
        #expect(try await readOnly.callTool("read_notes").text == "notes")
        // A tool outside the view cannot be called through it: there it is an unknown tool.
        await #expect { try await readOnly.callTool("delete_notes") } throws: { ($0 as? MCPError)?.message == "Unknown tool: delete_notes" }
        #expect(try await all.callTool("delete_notes").text == "deleted")
        // Resources and prompts are read-only by nature; the lists are the same and cacheable by anyone.
        let listed = try await readOnly.request(Method.resourcesList)
        #expect(listed["resources"]?.arrayValue?.count == 2 && listed["cacheScope"] == "public")
        #expect(try await readOnly.request(Method.promptsList)["prompts"]?.arrayValue?.count == 1)
        #expect(try await readOnly.request(Method.toolsList)["cacheScope"] == "public")
    }

    @Test func sourcesAndNameGlobsNarrowAView() async throws {
        let server = try Self.server()
        let connector = CatalogView(name: "notes", sources: ["local"], tools: NameFilter(include: ["*_notes"], exclude: ["delete_*"]))
        let client = MCPTestClient(server: server, view: connector)
        #expect(Self.names(try await client.listTools()) == ["read_notes"])
        let uris = try await client.request(Method.resourcesList)["resources"]?.arrayValue?.compactMap { $0["uri"]?.stringValue }
        #expect(uris == ["notes://all"])
        await #expect { try await client.readResource("other://secret") } throws: { ($0 as? MCPError)?.code == -32602 }
        await #expect { try await client.callTool("admin_wipe") } throws: { ($0 as? MCPError)?.code == -32602 }
        #expect(try await client.readResource("notes://all").first?["text"] == "every note")
    }

    @Test func aViewThatDependsOnTheCallerIsCachedPrivately() async throws {
        let server = try Self.server()
        let scoped = CatalogView(name: "scoped") { tool, principal in tool.isReadOnly || principal?.scopes.contains("notes:write") == true }
        let reader = MCPTestClient(server: server, view: scoped, principal: Principal(subject: "ada", scopes: ["notes:read"]))
        let writer = MCPTestClient(server: server, view: scoped, principal: Principal(subject: "bob", scopes: ["notes:write"]))
        let anonymous = MCPTestClient(server: server, view: scoped)
        #expect(Self.names(try await reader.listTools()) == ["read_notes"])
        #expect(Self.names(try await writer.listTools()) == ["admin_wipe", "delete_notes", "read_notes"])
        #expect(Self.names(try await anonymous.listTools()) == ["read_notes"])
        #expect(try await reader.request(Method.toolsList)["cacheScope"] == "private")
        #expect(try await writer.callTool("delete_notes").text == "deleted")
        await #expect(throws: MCPError.self) { try await reader.callTool("delete_notes") }
    }

    @Test func namesMatchGlobs() {
        let filter = NameFilter(include: ["github__*", "time__get_?"], exclude: ["*delete*"])
        #expect(filter.admits("github__search") && filter.admits("time__get_1"))
        #expect(!filter.admits("github__delete_repo") && !filter.admits("time__get_10") && !filter.admits("other"))
        #expect(NameFilter().admits("anything") && NameFilter(exclude: ["*"]).admits("x") == false)
        #expect(NameFilter(include: ["a*b*c"]).admits("aXXbYYc") && !NameFilter(include: ["a*b*c"]).admits("aXXbYY"))
    }
}
