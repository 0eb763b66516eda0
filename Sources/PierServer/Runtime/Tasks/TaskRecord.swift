import MCPCore
import PierSync
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One task: its status, its outcome once it has one, and the input it waits for.
final class TaskRecord: Sendable {
    enum Status: String, Sendable {
        case working, inputRequired = "input_required", completed, failed, cancelled

        var isTerminal: Bool { self == .completed || self == .failed || self == .cancelled }
    }

    private struct State {
        var status: Status = .working
        var statusMessage: String?
        var lastUpdated: Date
        var result: JSONObject?
        var error: MCPError?
        /// Input requests not answered yet, by key, in the order asked.
        var pending: JSONObject = [:]
        var answers: JSONObject = [:]
        var waiter: CheckedContinuation<Void, any Error>?
        var cancelRequested = false
        var inputsAsked = 0
        /// Grows on every change, so a ledger copy is refreshed only when something changed.
        var revision = 0
    }

    let id: String
    let created: Date
    let expires: ContinuousClock.Instant
    let ttlMilliseconds: Int
    let pollIntervalMilliseconds: Int
    /// Fired by `tasks/cancel`: the running handler is cancelled.
    let cancelSignal = CancelSignal()
    private let state: Locked<State>
    /// Yields whenever the task changes or ``wake()`` is called (at most one wake-up waits): what drives its relay.
    let wakes: AsyncStream<Void>
    private let waker: AsyncStream<Void>.Continuation

    init(id: String, ttlMilliseconds: Int, pollIntervalMilliseconds: Int) {
        let now = Date()
        self.id = id
        self.created = now
        self.expires = .now + .milliseconds(ttlMilliseconds)
        self.ttlMilliseconds = ttlMilliseconds
        self.pollIntervalMilliseconds = pollIntervalMilliseconds
        self.state = Locked(State(lastUpdated: now))
        (wakes, waker) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Wakes the task's relay: it changed, or another instance left it a message.
    func wake() { waker.yield() }

    var status: Status { state.withLock { $0.status } }
    var revision: Int { state.withLock { $0.revision } }

    /// The `Task` fields every task message carries.
    private func base(_ s: State) -> JSONObject {
        var o: JSONObject = [
            "taskId": .string(id), "status": .string(s.status.rawValue), "createdAt": .string(Self.iso(created)),
            "lastUpdatedAt": .string(Self.iso(s.lastUpdated)), "ttlMs": .int(ttlMilliseconds), "pollIntervalMs": .int(pollIntervalMilliseconds),
        ]
        if let message = s.statusMessage { o["statusMessage"] = .string(message) }
        return o
    }

    /// `CreateTaskResult`: a flat `Result & Task` with `resultType: "task"`.
    var createResult: JSONObject {
        var o = state.withLock { base($0) }
        o["resultType"] = "task"
        return o
    }

    /// `tasks/get`'s `DetailedTask`: the outcome inlined when there is one, the pending input when waiting.
    var detailed: JSONObject { state.withLock { detailed($0) } }

    /// ``detailed`` with the ``revision`` it shows, read together.
    var revisedDetailed: (revision: Int, view: JSONObject) { state.withLock { ($0.revision, detailed($0)) } }

    private func detailed(_ s: State) -> JSONObject {
        var o = base(s)
        switch s.status {
        case .completed: o["result"] = s.result.map { .object($0) } ?? .object([:])
        case .failed: if let error = s.error { o["error"] = .object(error.json) }
        case .inputRequired: o["inputRequests"] = .object(s.pending)
        case .working, .cancelled: break
        }
        return o
    }

    static func iso(_ date: Date) -> String { date.formatted(.iso8601) }

    // MARK: outcomes

    func complete(_ result: JSONObject) { finish(.completed, result: result, error: nil, message: nil) }
    func fail(_ error: MCPError) { finish(.failed, result: nil, error: error, message: error.message) }

    /// The handler stopped because it was cancelled: by `tasks/cancel`, or by the server shutting down.
    func stopped() {
        let byClient = state.withLock { $0.cancelRequested }
        if byClient {
            finish(.cancelled, result: nil, error: nil, message: "Cancelled by the client")
        } else {
            finish(.failed, result: nil, error: MCPError(code: -32603, message: "The server stopped before the task finished"), message: nil)
        }
    }

    private func finish(_ status: Status, result: JSONObject?, error: MCPError?, message: String?) {
        state.withLock { s in
            guard !s.status.isTerminal else { return }
            s.status = status
            s.result = result
            s.error = error
            s.statusMessage = message
            s.pending = [:]
            s.lastUpdated = Date()
            s.revision += 1
        }
        wake()
    }

    /// Asks for cancellation; `false` when the task has already finished.
    func requestCancel() -> Bool {
        let accepted = state.withLock { s -> Bool in
            guard !s.status.isTerminal else { return false }
            s.cancelRequested = true
            return true
        }
        if accepted { cancelSignal.fire() }
        return accepted
    }

    // MARK: input

    /// Numbers the input requests a task asks without a key of their own (`elicit-1`, `sample-2`, …).
    func nextInputNumber() -> Int {
        state.withLock { s in
            s.inputsAsked += 1
            return s.inputsAsked
        }
    }

    /// Parks the task as `input_required` with `requests` (key → `{method, params}`) and returns the answers, in
    /// the order asked, once every one has come through `tasks/update`. Cancelling the handler stops the wait.
    func awaitInputs(_ requests: [(key: String, request: JSONObject)]) async throws -> [JSONObject] {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                let ready = state.withLock { s -> Bool in
                    for (key, request) in requests where s.answers[key] == nil { s.pending[key] = .object(request) }
                    guard !s.pending.isEmpty, !Task.isCancelled else { return true }
                    s.status = .inputRequired
                    s.lastUpdated = Date()
                    s.revision += 1
                    s.waiter = c
                    return false
                }
                if ready { c.resume() } else { wake() }
            }
            try Task.checkCancellation()
            let answers = state.withLock { s in
                if s.status == .inputRequired {
                    s.status = .working
                    s.lastUpdated = Date()
                    s.revision += 1
                }
                return requests.map { s.answers[$0.key]?.objectValue ?? [:] }
            }
            wake()
            return answers
        } onCancel: {
            let waiter = state.withLock { s -> CheckedContinuation<Void, any Error>? in
                defer { s.waiter = nil }
                return s.waiter
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Takes answers from `tasks/update`: answers to pending keys are kept and the keys leave `inputRequests`;
    /// others (unknown, answered already, or for a finished task) are ignored. The handler resumes when nothing is
    /// pending.
    func update(_ responses: JSONObject) {
        let waiter = state.withLock { s -> CheckedContinuation<Void, any Error>? in
            guard !s.status.isTerminal else { return nil }
            for member in responses where s.pending[member.key] != nil {
                s.answers[member.key] = member.value
                s.pending[member.key] = nil
            }
            s.lastUpdated = Date()
            s.revision += 1
            guard s.pending.isEmpty, let w = s.waiter else { return nil }
            s.waiter = nil
            s.status = .working
            return w
        }
        wake()
        waiter?.resume()
    }
}
