import MCPCore
import PierSync

/// The tasks of one server: their records, and the jobs that run their handlers.
///
/// Handlers run inside ``MCPServer/runTasks()``, which the application runs as a long-lived service: every task is
/// a child of its task group, so shutting down cancels them all and nothing runs unowned.
final class TaskManager: Sendable {
    typealias Job = @Sendable () async -> Void

    private struct State {
        var records: [String: TaskRecord] = [:]
        var running = 0
        var accepting = false
    }
    private let state = Locked(State())
    private let jobs: AsyncStream<Job>
    private let submit: AsyncStream<Job>.Continuation
    let configuration: ServerConfiguration

    init(configuration: ServerConfiguration) {
        self.configuration = configuration
        (jobs, submit) = AsyncStream<Job>.makeStream()
    }

    /// Runs submitted jobs until cancelled; then cancels those still running and waits for them.
    func run() async {
        state.withLock { $0.accepting = true }
        defer { state.withLock { $0.accepting = false } }
        await withDiscardingTaskGroup { group in
            for await job in jobs {
                group.addTask { await job() }
            }
            group.cancelAll()
        }
    }

    var isAccepting: Bool { state.withLock { $0.accepting } }

    /// Creates a task and queues `body` to run it; `nil` when tasks cannot be run now (no runner, or too many).
    func start(_ body: @escaping @Sendable (TaskRecord) async -> Void) -> TaskRecord? {
        var random = SystemRandomNumberGenerator()
        let id = "tsk_" + (0..<4).map { _ in String(random.next() as UInt32, radix: 16).leftPadded(8) }.joined()
        let record = TaskRecord(id: id, ttlMilliseconds: configuration.taskTTLMilliseconds, pollIntervalMilliseconds: configuration.taskPollIntervalMilliseconds)
        let admitted = state.withLock { s -> Bool in
            guard s.accepting, s.running < configuration.maxRunningTasks else { return false }
            let now = ContinuousClock.now
            s.records = s.records.filter { $0.value.expires > now }
            // Finished tasks stay readable for their ttlMs; past this many, new ones wait until old ones expire.
            guard s.records.count < configuration.maxRunningTasks * 40 else { return false }
            s.records[id] = record
            s.running += 1
            return true
        }
        guard admitted else { return nil }
        submit.yield { [self] in
            await body(record)
            state.withLock { $0.running -= 1 }
        }
        return record
    }

    /// The task `id` if this instance runs (or ran) it and it has not expired.
    func local(_ id: String) -> TaskRecord? {
        guard let record = state.withLock({ $0.records[id] }), record.expires > .now else { return nil }
        return record
    }

    /// -32602 "Invalid task", for an id that is unknown, malformed or expired (all alike, so ids cannot be probed).
    static let invalid = MCPError.invalidParams("Invalid task")
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
