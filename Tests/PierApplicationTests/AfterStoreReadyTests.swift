import PierServer
import ServiceLifecycle
import Testing

@testable import PierApplication

@Suite("Services held until the store is ready")
struct AfterStoreReadyTests {
    @Test func servicesWaitForTheSignalThenAllRunAndLaterOnesDoNotWait() async throws {
        let ready = CancelSignal()
        let ran = Counter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for service in AfterStoreReady.each(Probe(ran: ran), Probe(ran: ran), Probe(ran: ran), after: ready) {
                group.addTask { try await service.run() }
            }
            try await Task.sleep(for: .milliseconds(100))
            #expect(await ran.count == 0)
            ready.fire()
            try await group.waitForAll()
        }
        #expect(await ran.count == 3)
        try await AfterStoreReady(service: Probe(ran: ran), ready: ready).run()
        #expect(await ran.count == 4)
    }

    @Test func aCancelledWaitRunsNothingAndTheOthersStillRun() async throws {
        let ready = CancelSignal()
        let ran = Counter()
        let cancelled = Task { try await AfterStoreReady(service: Probe(ran: ran), ready: ready).run() }
        let other = Task { try await AfterStoreReady(service: Probe(ran: ran), ready: ready).run() }
        try await Task.sleep(for: .milliseconds(50))
        cancelled.cancel()
        try await cancelled.value
        #expect(await ran.count == 0)
        ready.fire()
        try await other.value
        #expect(await ran.count == 1)
    }

    @Test func aTaskCancelledBeforeItWaitsRunsNothing() async throws {
        let ready = CancelSignal()
        let ran = Counter()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await AfterStoreReady(service: Probe(ran: ran), ready: ready).run()
        }
        try await task.value
        #expect(await ran.count == 0)
    }
}

private struct Probe: Service {
    let ran: Counter
    func run() async throws { await ran.add() }
}

private actor Counter {
    private(set) var count = 0
    func add() { count += 1 }
}
