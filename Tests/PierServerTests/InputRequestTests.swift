import MCPCore
import PierApps
import PierServer
import PierTesting
import Testing

/// Asking the client for input from a handler (2026-07-28 `input_required` rounds), through the test harness.
@Suite struct InputRequestTests {
    let apps = [ConformanceApp.make()]
    static let allCapabilities: JSONObject = ["elicitation": ["form": [:]], "sampling": [:], "roots": [:]]

    /// Answers like a cooperative user and model.
    static let cooperative: MCPTestClient.InputResponder = { method, params in
        switch method {
        case "elicitation/create":
            let fields = params["requestedSchema"]?["properties"]?.objectValue?.keys ?? []
            var content = JSONObject()
            for field in fields { content[field] = field == "ok" ? true : "Ada" }
            return ["action": "accept", "content": .object(content)]
        case "sampling/createMessage": return ["role": "assistant", "content": ["type": "text", "text": "Hi"], "model": "m"]
        default: return ["roots": [["uri": "file:///a"], ["uri": "file:///b"]]]
        }
    }

    @Test func severalInputsAskedInOneRoundUnderTheirKeys() async throws {
        let raw = try MCPTestClient(apps: apps, capabilities: Self.allCapabilities)
        let first = try await raw.callTool("test_input_required_result_multiple_inputs")
        #expect(first.json["resultType"] == "input_required")
        #expect(first.json["inputRequests"]?.objectValue?.keys.sorted() == ["client_roots", "greeting", "user_name"])
        let client = try MCPTestClient(apps: apps, capabilities: Self.allCapabilities, answering: Self.cooperative)
        let done = try await client.callTool("test_input_required_result_multiple_inputs")
        #expect(done.text == "name=Ada greeting=Hi roots=2")
    }

    @Test func aVerifiedStateIsVisibleToTheHandler() async throws {
        let client = try MCPTestClient(apps: apps, capabilities: Self.allCapabilities, answering: Self.cooperative)
        #expect(try await client.callTool("test_input_required_result_request_state").text?.hasPrefix("state-ok") == true)
        // Answers sent without the state the server issued do not count as a verified round.
        let bare = try MCPTestClient(apps: apps, capabilities: Self.allCapabilities)
        let r = try await bare.request(
            Method.toolsCall, ["name": "test_input_required_result_request_state", "arguments": [:], "inputResponses": ["confirm": ["action": "accept", "content": ["ok": true]]]])
        #expect(r["isError"] == true)
    }

    @Test func anAnswerThatBreaksTheFormIsInvalidParams() async throws {
        let client = try MCPTestClient(apps: apps, capabilities: Self.allCapabilities) { _, _ in ["action": "accept", "content": ["name": 7]] }
        await #expect(throws: MCPError.self) { try await client.callTool("test_input_required_result_elicitation") }
    }

    @Test func onlyDeclaredKindsAreAsked() async throws {
        let client = try MCPTestClient(apps: apps, capabilities: ["roots": [:]])
        let r = try await client.callTool("test_input_required_result_capabilities")
        #expect(r.json["inputRequests"]?.objectValue?.keys == ["roots"])
    }

    @Test func promptsAskToo() async throws {
        let client = try MCPTestClient(apps: apps, capabilities: Self.allCapabilities, answering: Self.cooperative)
        let prompt = try await client.request(Method.promptsGet, ["name": "test_input_required_result_prompt"])
        #expect(prompt["messages"]?.arrayValue?.first?["content"]?["text"] == "Answer with this context in mind: Ada")
    }
}
