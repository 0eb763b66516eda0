import MCPCore
import PierApps
import PierServer
import PierTesting
import Testing

/// Tools run as tasks (the tasks extension) through the harness, with the task runner running beside it.
@Suite struct TaskTests {
    static let withExtension: JSONObject = ["elicitation": ["form": [:]], "extensions": [.init(stringLiteral: TasksExtension.id): [:]]]

    @Test func taskToolsDescribeThemselvesAndTheServerAdvertisesTheExtension() async throws {
        let client = try MCPTestClient(apps: [ConformanceApp.make()])
        let tools = try await client.listTools()
        #expect(tools.first { $0["name"] == "slow_compute" }?["execution"] == ["taskSupport": "optional"])
        #expect(tools.first { $0["name"] == "failing_job" }?["execution"] == ["taskSupport": "required"])
        #expect(tools.first { $0["name"] == "greet" }?["execution"] == nil)
        #expect(client.server.capabilities["extensions"]?[TasksExtension.id] == [:])
    }

    @Test func aTaskRunsIsPolledAndCompletes() async throws {
        let client = try MCPTestClient(apps: [ConformanceApp.make()], capabilities: Self.withExtension)
        try await client.withTasks {
            let created = try await client.request(Method.toolsCall, ["name": "slow_compute", "arguments": ["seconds": 0.05, "label": "x"]])
            #expect(created["resultType"] == "task" && created["status"] == "working")
            let id = try #require(created["taskId"])
            let done = try await client.waitForTask(id)
            #expect(done["result"]?["content"] == [["type": "text", "text": "Computed x in 0.05 s"]])
        }
    }

    @Test func inputComesThroughUpdateAndCancelStopsTheHandler() async throws {
        let client = try MCPTestClient(apps: [ConformanceApp.make()], capabilities: Self.withExtension)
        try await client.withTasks {
            let created = try await client.request(Method.toolsCall, ["name": "confirm_delete", "arguments": ["filename": "f"]])
            let id = try #require(created["taskId"])
            let parked = try await client.waitForTask(id, until: ["input_required"])
            let key = try #require(parked["inputRequests"]?.objectValue?.keys.first)
            _ = try await client.request(TasksExtension.update, ["taskId": id, "inputResponses": [.init(stringLiteral: key): ["action": "decline"]]])
            #expect(try await client.waitForTask(id)["result"]?["content"] == [["type": "text", "text": "Kept f"]])

            let slow = try await client.request(Method.toolsCall, ["name": "slow_compute", "arguments": ["seconds": 30]])
            let slowID = try #require(slow["taskId"])
            #expect(try await client.request(TasksExtension.cancel, ["taskId": slowID])["resultType"] == "complete")
            #expect(try await client.waitForTask(slowID)["status"] == "cancelled")
        }
    }

    @Test func shuttingDownFailsTheTasksStillRunning() async throws {
        let client = try MCPTestClient(apps: [ConformanceApp.make()], capabilities: Self.withExtension)
        let id = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.server.runTasks() }
            try await Task.sleep(for: .milliseconds(20))
            let created = try await client.request(Method.toolsCall, ["name": "slow_compute", "arguments": ["seconds": 30]])
            group.cancelAll()
            return created["taskId"] ?? nil
        }
        let task = try await client.request(TasksExtension.get, ["taskId": id])
        #expect(task["status"] == "failed" && task["error"]?["message"] == "The server stopped before the task finished")
    }

    @Test func withoutARunnerOptionalToolsAnswerInPlaceAndRequiredOnesAreRefused() async throws {
        let client = try MCPTestClient(apps: [ConformanceApp.make()], capabilities: Self.withExtension)
        let r = try await client.callTool("slow_compute", arguments: ["seconds": 0])
        #expect(r.text == "Computed result in 0.0 s")
        await #expect(throws: MCPError.self) { try await client.callTool("failing_job") }
    }
}
