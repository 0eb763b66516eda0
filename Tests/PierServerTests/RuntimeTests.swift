import MCPCore
import PierApps
import PierServer
import PierTesting
import Testing

@Suite struct RuntimeTests {
    let apps = [DemoApp.make(), ConformanceApp.make()]

    @Test func toolsListIsSortedAndPaged() async throws {
        let client = try MCPTestClient(apps: apps, configuration: ServerConfiguration(pageSize: 4))
        let names = try await client.listTools().compactMap { $0["name"]?.stringValue }
        #expect(names == names.sorted())
        #expect(names.count == 36)
        let first = try await client.request(Method.toolsList)
        #expect(first["tools"]?.arrayValue?.count == 4)
        #expect(first["nextCursor"] != nil)
    }

    @Test func badCursorIsInvalidParams() async throws {
        let client = try MCPTestClient(apps: apps)
        await #expect(throws: MCPError.invalidParams("Invalid cursor")) { try await client.request(Method.toolsList, ["cursor": "nope"]) }
    }

    @Test func modernResultsAreDecorated() async throws {
        let client = try MCPTestClient(apps: apps)
        let list = try await client.request(Method.toolsList)
        #expect(list["resultType"] == "complete")
        #expect(list["ttlMs"]?.intValue != nil && list["cacheScope"] == "public")
        #expect(list["_meta"]?[MetaKey.serverInfo]?["name"] == "pier-test")
        let call = try await client.callTool("echo", arguments: ["text": "x"])
        #expect(call.json["ttlMs"] == nil && call.json["resultType"] == "complete")
    }

    @Test func legacyResultsAreNotDecorated() async throws {
        let client = try MCPTestClient(apps: apps, version: .v2025_06_18)
        let list = try await client.request(Method.toolsList)
        #expect(list["resultType"] == nil && list["_meta"] == nil)
    }

    @Test func invalidInputIsAToolError() async throws {
        let client = try MCPTestClient(apps: apps)
        let missing = try await client.callTool("echo", arguments: [:])
        #expect(missing.isError && missing.text?.contains("missing required property \"text\"") == true)
        let wrongType = try await client.callTool("test_structured_output", arguments: ["a": "1", "b": 2])
        #expect(wrongType.isError && wrongType.text?.contains("a: expected integer") == true)
    }

    @Test func structuredOutputIsMirroredAsText() async throws {
        let client = try MCPTestClient(apps: apps)
        let r = try await client.callTool("test_structured_output", arguments: ["a": 20, "b": 22])
        #expect(r.structuredContent == ["sum": 42])
        #expect(r.text == #"{"sum":42}"#)
    }

    @Test func outputThatBreaksItsSchemaIsRefused() async throws {
        var app = MCPApp(name: "bad")
        app.tool(
            "liar", description: "Claims an integer, returns a string.", outputSchema: JSONSchema.object(properties: [("n", JSONSchema.integer())], required: ["n"]),
            annotations: .readOnly
        ) { _ in
            ToolResult(structuredContent: ["n": "not a number"])
        }
        let client = try MCPTestClient(apps: [app])
        let r = try await client.callTool("liar")
        #expect(r.isError && r.structuredContent == nil)
    }

    @Test func unknownToolIsAProtocolError() async throws {
        let client = try MCPTestClient(apps: apps)
        await #expect { try await client.callTool("nope") } throws: { ($0 as? MCPError)?.code == ErrorCode.invalidParams }
    }

    @Test func resourceNotFoundDependsOnTheEra() async throws {
        let modern = try MCPTestClient(apps: apps)
        await #expect { try await modern.readResource("test://none") } throws: {
            ($0 as? MCPError)?.code == -32602 && ($0 as? MCPError)?.data?["uri"] == "test://none"
        }
        let legacy = try MCPTestClient(apps: apps, version: .v2025_11_25)
        await #expect { try await legacy.readResource("test://none") } throws: { ($0 as? MCPError)?.code == -32002 }
    }

    @Test func templatesMatchAndComplete() async throws {
        let client = try MCPTestClient(apps: apps)
        let contents = try await client.readResource("test://template/abc/data")
        #expect(contents.first?["uri"] == "test://template/abc/data")
        let done = try await client.request(Method.complete, [
            "ref": ["type": "ref/resource", "uri": "test://template/{id}/data"], "argument": ["name": "id", "value": "1"],
        ])
        #expect(done["completion"]?["values"] == ["1", "123"])
    }

    @Test func promptsCheckRequiredArguments() async throws {
        let client = try MCPTestClient(apps: apps)
        await #expect { try await client.request(Method.promptsGet, ["name": "test_prompt_with_arguments", "arguments": ["arg1": "a"]]) } throws: {
            ($0 as? MCPError)?.message.contains("arg2") == true
        }
    }

    @Test func progressAndLogsReachTheSink() async throws {
        let client = try MCPTestClient(apps: apps, logLevel: .info)
        _ = try await client.callTool("test_tool_with_progress", meta: ["progressToken": "t"])
        _ = try await client.callTool("test_tool_with_logging")
        let progress = client.notifications.filter { $0.method == Method.progress }.compactMap { $0.params["progress"]?.doubleValue }
        #expect(progress == [0, 50, 100])
        #expect(client.notifications.filter { $0.method == Method.message }.count == 3)
    }

    @Test func noLogsWithoutOptIn() async throws {
        let client = try MCPTestClient(apps: apps)
        _ = try await client.callTool("test_tool_with_logging")
        #expect(client.notifications.isEmpty)
    }

    @Test func missingCapabilityIs32021() async throws {
        let without = try MCPTestClient(apps: apps)
        await #expect { try await without.callTool("test_missing_capability") } throws: {
            ($0 as? MCPError)?.code == ErrorCode.missingRequiredClientCapability
                && ($0 as? MCPError)?.data?["requiredCapabilities"] == ["sampling": [:]]
        }
        let with = try MCPTestClient(apps: apps, capabilities: ["sampling": [:]])
        #expect(try await with.callTool("test_missing_capability").isError == false)
    }

    @Test func modernMetaIsRequired() throws {
        #expect(throws: MCPError.self) { try MCPServer.modernClientContext(for: JSONRPCRequest(id: .int(1), method: "tools/list")) }
        let unsupported = JSONRPCRequest(id: .int(1), method: "tools/list", params: [
            "_meta": [MetaKey.protocolVersion: "2030-01-01", MetaKey.clientCapabilities: [:]],
        ])
        #expect { try MCPServer.modernClientContext(for: unsupported) } throws: { ($0 as? MCPError)?.code == -32022 }
        let noCaps = JSONRPCRequest(id: .int(1), method: "tools/list", params: ["_meta": [MetaKey.protocolVersion: "2026-07-28"]])
        #expect { try MCPServer.modernClientContext(for: noCaps) } throws: { ($0 as? MCPError)?.code == -32602 }
    }

    @Test func registrationRejectsBadNamesAndDuplicates() {
        var dup = MCPApp(name: "dup")
        dup.tool("same", description: "a", annotations: .readOnly) { _ in .text("a") }
        dup.tool("same", description: "b", annotations: .readOnly) { _ in .text("b") }
        #expect(throws: RegistrationError.self) { try MCPServer(info: Implementation(name: "t", version: "0"), apps: [dup]) }
        var bad = MCPApp(name: "bad")
        bad.tool("has space", description: "x", annotations: .readOnly) { _ in .text("x") }
        #expect(throws: RegistrationError.self) { try MCPServer(info: Implementation(name: "t", version: "0"), apps: [bad]) }
    }

    @Test func everyToolMustStateTheThreeRequiredHints() throws {
        var vague = MCPApp(name: "vague")
        vague.tool("guess", description: "x", annotations: ToolAnnotations(readOnlyHint: true, openWorldHint: false)) { _ in .text("x") }
        do {
            _ = try MCPServer(info: Implementation(name: "t", version: "0"), apps: [vague])
            Issue.record("registration should fail")
        } catch {
            #expect(error.message.contains("\"guess\" must state destructiveHint"))
        }
        var none = MCPApp(name: "none")
        none.tool("bare", description: "x") { _ in .text("x") }
        #expect(throws: RegistrationError.self) { try MCPServer(info: Implementation(name: "t", version: "0"), apps: [none]) }
        let server = try MCPServer(info: Implementation(name: "t", version: "0"), apps: [])
        #expect(throws: RegistrationError.self) { try server.addTool(ToolDefinition(name: "late", description: "x") { _, _ in .text("x") }) }
    }

    @Test func unknownDescriptorFieldsArePassedThrough() async throws {
        var app = MCPApp(name: "extra")
        app.add(ToolDefinition(
            name: "secure", description: "x", annotations: .readOnly, meta: ["securitySchemes": [["type": "noauth"]]],
            extra: ["securitySchemes": [["type": "noauth"]], "execution": ["taskSupport": "forbidden"]]
        ) { _, _ in .text("ok") })
        let tools = try await MCPTestClient(apps: [app]).listTools()
        #expect(tools.first?["securitySchemes"] == [["type": "noauth"]])
        #expect(tools.first?["execution"]?["taskSupport"] == "forbidden")
        #expect(tools.first?["_meta"]?["securitySchemes"] == [["type": "noauth"]])
    }
}

@Suite struct SubscriptionTests {
    @Test func filterParsesHonorsAndMatches() throws {
        let filter = try SubscriptionFilter(params: ["notifications": ["toolsListChanged": true, "resourceSubscriptions": ["a://1"], "future": 1]])
        #expect(filter.honored == ["toolsListChanged": true, "resourceSubscriptions": ["a://1"]])
        #expect(filter.matches(.toolsChanged) && !filter.matches(.promptsChanged))
        #expect(filter.matches(.resourceUpdated(uri: "a://1")) && !filter.matches(.resourceUpdated(uri: "a://2")))
        #expect(throws: MCPError.self) { try SubscriptionFilter(params: [:]) }
        #expect(throws: MCPError.self) { try SubscriptionFilter(params: ["notifications": ["toolsListChanged": "yes"]]) }
        let stamped = SubscriptionFilter.notification(.resourceUpdated(uri: "a://1"), subscription: .int(7))
        #expect(stamped.params["uri"] == "a://1" && stamped.params["_meta"]?[MetaKey.subscriptionID] == 7)
    }

    @Test func runtimeChangesReachListeners() async throws {
        let server = try MCPServer(info: Implementation(name: "t", version: "0"), apps: [DemoApp.make()])
        let events = server.events()
        try server.addTool(ToolDefinition(name: "later", description: "x", annotations: .readOnly) { _, _ in .text("x") })
        #expect(server.removeTool(named: "later"))
        #expect(!server.removeTool(named: "later"))
        server.resourceUpdated(uri: "u://1")
        var seen: [ServerEvent] = []
        for await event in events {
            seen.append(event)
            if seen.count == 3 { break }
        }
        #expect(seen == [.toolsChanged, .toolsChanged, .resourceUpdated(uri: "u://1")])
    }
}
