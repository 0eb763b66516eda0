import MCPCore
import PierServer
import PierTesting
import Testing

/// What an adapter in front of another server (the gateway) needs from the runtime.
@Suite struct ProxyHookTests {
    static func server(_ entries: CatalogEntries, routers: [any TaskRouter] = []) throws -> MCPServer {
        let server = try MCPServer(info: Implementation(name: "t", version: "0"), apps: [], taskRouters: routers)
        try server.replace(source: "upstream", with: entries)
        return server
    }

    @Test func forwardedProgressCarriesTheClientsTokenAndLogsRespectItsLevel() async throws {
        let relay = try ToolEntry(name: "relay", descriptor: ["inputSchema": ["type": "object"]]) { _, context in
            // What an upstream sent about its own call, under its own token.
            await context.forward(JSONRPCNotification(method: Method.progress, params: ["progressToken": "upstream-7", "progress": 1, "total": 2]))
            await context.forward(JSONRPCNotification(method: Method.message, params: ["level": "debug", "data": "noise"]))
            await context.forward(JSONRPCNotification(method: Method.message, params: ["level": "error", "data": "broke", "logger": "up"]))
            return .result(["content": []])
        }
        let server = try Self.server(CatalogEntries(tools: [relay]))
        let client = MCPTestClient(server: server, logLevel: .info)
        _ = try await client.callTool("relay", meta: ["progressToken": "client-1"])
        let sent = client.notifications
        #expect(sent.map(\.method) == [Method.progress, Method.message])
        #expect(sent[0].params["progressToken"] == "client-1" && sent[0].params["progress"] == 1 && sent[0].params["total"] == 2)
        #expect(sent[1].params == ["level": "error", "data": "broke", "logger": "up"])
        // A client that asked for no progress and no logs gets neither.
        let quiet = MCPTestClient(server: server)
        _ = try await quiet.callTool("relay")
        #expect(quiet.notifications.isEmpty)
    }

    @Test func aRawInputRequestGoesOutAsItIs() async throws {
        let url: JSONObject = ["mode": "url", "message": "Sign in to the upstream", "url": "https://up.example/auth", "elicitationId": "e-1"]
        let ask = try ToolEntry(name: "needs_sign_in", descriptor: ["inputSchema": ["type": "object"]]) { _, context in
            let answer = try await context.ask([.raw(method: "elicitation/create", params: url, capability: "elicitation")])[0]
            return .result(["content": [["type": "text", "text": .string(answer.elicitation.action)]]])
        }
        let server = try Self.server(CatalogEntries(tools: [ask]))
        let asking = MCPTestClient(server: server, capabilities: ["elicitation": ["url": [:]]])
        let round = try await asking.request(Method.toolsCall, ["name": "needs_sign_in"])
        #expect(round["resultType"] == "input_required")
        #expect(round["inputRequests"] == ["elicit-1": ["method": "elicitation/create", "params": .object(url)]])
        let answering = MCPTestClient(server: server, capabilities: ["elicitation": [:]]) { method, params in
            #expect(method == "elicitation/create" && params == url)
            return ["action": "accept"]
        }
        #expect(try await answering.callTool("needs_sign_in").text == "accept")
        await #expect { try await MCPTestClient(server: server).callTool("needs_sign_in") } throws: { ($0 as? MCPError)?.code == -32021 }
    }

    struct UpstreamTasks: TaskRouter {
        func route(_ request: JSONRPCRequest, taskID: String, context: MCPRequestContext) async throws -> JSONObject? {
            guard taskID.hasPrefix("up-") else { return nil }
            return ["taskId": .string(taskID), "status": "working", "resultType": "complete", "method": .string(request.method)]
        }
    }

    @Test func tasksOfAnotherPartyAreAnsweredByTheirRouter() async throws {
        let server = try Self.server(CatalogEntries(), routers: [UpstreamTasks()])
        let client = MCPTestClient(server: server, capabilities: ["extensions": [TasksExtension.id: [:]]])
        let got = try await client.request(TasksExtension.get, ["taskId": "up-42"])
        #expect(got["taskId"] == "up-42" && got["method"] == "tasks/get")
        #expect(try await client.request(TasksExtension.cancel, ["taskId": "up-42"])["method"] == "tasks/cancel")
        await #expect { try await client.request(TasksExtension.get, ["taskId": "tsk_nobody"]) } throws: { ($0 as? MCPError)?.message == "Invalid task" }
    }

    @Test func handlersReachOnlyWhatTheyNeedOfTheServer() async throws {
        var app = MCPApp(name: "meta")
        app.tool("count_tools", description: "Counts the tools the caller sees.", annotations: .readOnly) { ctx in
            .text("\(ctx.server.tools.count) of \(ctx.server.statistics.toolCount) (\(ctx.server.info.name))")
        }
        app.tool("hidden_write", description: "x", annotations: ToolAnnotations(readOnlyHint: false, destructiveHint: true, openWorldHint: false)) { _ in .text("x") }
        let server = try MCPServer(info: Implementation(name: "pier-t", version: "0"), apps: [app])
        #expect(try await MCPTestClient(server: server, view: .readOnly).callTool("count_tools").text == "1 of 2 (pier-t)")
        #expect(try await MCPTestClient(server: server).callTool("count_tools").text == "2 of 2 (pier-t)")
    }
}
