import MCPCore
import PierSync

/// What reaches one request in flight: its response, notifications about it, requests the upstream asks while
/// it runs, or the failure that ends it.
enum CallEvent: Sendable {
    case response(JSONRPCResponse)
    case notification(JSONRPCNotification)
    case request(JSONRPCRequest)
    case failed(ClientError)
}

/// The bounded queue of one request in flight, read by the task that sent it.
///
/// Notifications beyond ``notificationLimit`` waiting are dropped (progress is the only flood an upstream can
/// send); a response, a request and a failure are always kept, and only one response or failure counts.
final class CallInbox: Sendable {
    static let notificationLimit = 256
    static let requestLimit = 16

    fileprivate struct State {
        var queue: [CallEvent] = []
        var head = 0
        var notifications = 0
        var requests = 0
        var ended = false
        var waiter: CheckedContinuation<CallEvent?, Never>?
    }
    private let state = Locked(State())
    /// The progress token the upstream reports this request's progress under, when progress was asked for.
    let progressToken: JSONValue?
    /// When the request times out, and the limit that makes it so.
    let deadline: ContinuousClock.Instant?
    let timeout: Duration?

    init(progressToken: JSONValue?, deadline: ContinuousClock.Instant? = nil, timeout: Duration? = nil) {
        self.progressToken = progressToken
        self.deadline = deadline
        self.timeout = timeout
    }

    /// Whether the response (or a failure) has been queued.
    var hasEnded: Bool { state.withLock { $0.ended } }

    /// Queues `event`; returns `false` when it was dropped (the queue is full, or the request already ended).
    @discardableResult
    func push(_ event: CallEvent) -> Bool {
        let waiter = state.withLock { s -> CheckedContinuation<CallEvent?, Never>?? in
            guard !s.ended else { return nil }
            switch event {
            case .notification:
                guard s.notifications < Self.notificationLimit else { return nil }
                s.notifications += 1
            case .request:
                guard s.requests < Self.requestLimit else { return nil }
                s.requests += 1
            case .response, .failed:
                s.ended = true
            }
            if let waiter = s.waiter {
                s.waiter = nil
                s.countOut(event)
                return .some(waiter)
            }
            s.queue.append(event)
            return .some(nil)
        }
        guard let waiter else { return false }
        waiter?.resume(returning: event)
        return true
    }

    /// The next event; `nil` when the waiting task is cancelled.
    func next() async -> CallEvent? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<CallEvent?, Never>) in
                let ready = state.withLock { s -> (Bool, CallEvent?) in
                    if s.head < s.queue.count {
                        let event = s.queue[s.head]
                        s.head += 1
                        if s.head == s.queue.count {
                            s.queue.removeAll(keepingCapacity: true)
                            s.head = 0
                        }
                        s.countOut(event)
                        return (true, event)
                    }
                    if Task.isCancelled { return (true, nil) }
                    s.waiter = c
                    return (false, nil)
                }
                if ready.0 { c.resume(returning: ready.1) }
            }
        } onCancel: {
            let waiter = state.withLock { s -> CheckedContinuation<CallEvent?, Never>? in
                defer { s.waiter = nil }
                return s.waiter
            }
            waiter?.resume(returning: nil)
        }
    }
}

extension CallInbox.State {
    /// An event left the queue: it no longer counts against its limit.
    mutating func countOut(_ event: CallEvent) {
        switch event {
        case .notification: notifications -= 1
        case .request: requests -= 1
        default: break
        }
    }
}
