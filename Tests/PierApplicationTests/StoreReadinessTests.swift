import Testing

@testable import PierApplication

@Suite("The store-ready gate services wait on")
struct StoreReadinessTests {
    @Test func waitersBeforeTheOpeningAllGoOnAndLaterOnesDoNotWait() async throws {
        let readiness = StoreReadiness()
        let through = Counter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await readiness.wait()
                    await through.add()
                }
            }
            try await Task.sleep(for: .milliseconds(100))
            #expect(await through.count == 0)
            readiness.open()
            try await group.waitForAll()
        }
        #expect(await through.count == 8)
        try await readiness.wait()
    }

    @Test func aCancelledWaiterStopsWaitingAndTheOthersStillGoOn() async throws {
        let readiness = StoreReadiness()
        let cancelled = Task { try await readiness.wait() }
        let other = Task { try await readiness.wait() }
        try await Task.sleep(for: .milliseconds(50))
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        readiness.open()
        try await other.value
    }

    @Test func aWaiterCancelledBeforeItWaitsDoesNotWait() async {
        let readiness = StoreReadiness()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await readiness.wait()
        }
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}

private actor Counter {
    private(set) var count = 0
    func add() { count += 1 }
}
