import MCPCore
@testable import PierApplication
import PierStore
import Testing

/// The store-backed task ledger: snapshots replace each other, inbox messages queue in order and are taken once.
@Suite struct TaskLedgerTests {
    @Test func snapshotsAndMessagesRoundTrip() async throws {
        let ledger = StoreTaskLedger(store: MemoryStore())
        #expect(try await ledger.load(taskID: "t1") == nil)
        try await ledger.save(taskID: "t1", snapshot: ["status": "working"], revision: 0, ttl: .seconds(60))
        try await ledger.save(taskID: "t1", snapshot: ["status": "completed"], revision: 1, ttl: .seconds(60))
        #expect(try await ledger.load(taskID: "t1") == ["status": "completed"])

        #expect(try await ledger.takeMessages(taskID: "t1").isEmpty)
        try await ledger.post(taskID: "t1", message: ["cancel": true], ttl: .seconds(60))
        try await ledger.post(taskID: "t1", message: ["inputResponses": ["k": ["action": "accept"]]], ttl: .seconds(60))
        #expect(try await ledger.takeMessages(taskID: "t1") == [["cancel": true], ["inputResponses": ["k": ["action": "accept"]]]])
        #expect(try await ledger.takeMessages(taskID: "t1").isEmpty, "taken once")
    }

    /// The call that starts a task and the task's relay both save views, so the start's "working" can land after
    /// the relay's "input_required": the later revision stays (before, another instance saw "working" until the
    /// task next changed).
    @Test func aViewOfAnEarlierRevisionArrivingLastIsDropped() async throws {
        let ledger = StoreTaskLedger(store: MemoryStore())
        try await ledger.save(taskID: "t", snapshot: ["status": "input_required"], revision: 2, ttl: .seconds(60))
        try await ledger.save(taskID: "t", snapshot: ["status": "working"], revision: 1, ttl: .seconds(60))
        #expect(try await ledger.load(taskID: "t") == ["status": "input_required"])
        try await ledger.save(taskID: "t", snapshot: ["status": "working"], revision: 3, ttl: .seconds(60))
        #expect(try await ledger.load(taskID: "t") == ["status": "working"])
        // A finished task stays finished whatever revision a running view carries.
        try await ledger.save(taskID: "t", snapshot: ["status": "completed"], revision: 4, ttl: .seconds(60))
        try await ledger.save(taskID: "t", snapshot: ["status": "working"], revision: 9, ttl: .seconds(60))
        #expect(try await ledger.load(taskID: "t") == ["status": "completed"])
    }

    @Test func concurrentPostsAreAllKept() async throws {
        let ledger = StoreTaskLedger(store: MemoryStore())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<12 { group.addTask { try await ledger.post(taskID: "t", message: ["n": .int(i)], ttl: .seconds(60)) } }
            try await group.waitForAll()
        }
        let numbers = try await ledger.takeMessages(taskID: "t").compactMap { $0["n"]?.intValue }
        #expect(numbers.sorted() == Array(0..<12))
    }
}
