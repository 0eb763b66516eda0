import PierSync

/// One awaited response: filled once, waited for once. Waiting honours task cancellation (and then yields `nil`).
public final class ResponseSlot: Sendable {
    private struct State {
        var value: JSONRPCResponse?
        var done = false
        var waiter: CheckedContinuation<JSONRPCResponse?, Never>?
    }
    private let state = Locked(State())

    public init() {}

    /// Hands the response to the waiter; later fills are ignored.
    public func fill(_ response: JSONRPCResponse) {
        let waiter = state.withLock { s -> CheckedContinuation<JSONRPCResponse?, Never>? in
            guard !s.done else { return nil }
            s.done = true
            s.value = response
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: response)
    }

    /// The response once it is there; `nil` when the waiting task is cancelled.
    public func value() async -> JSONRPCResponse? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<JSONRPCResponse?, Never>) in
                let ready = state.withLock { s -> (Bool, JSONRPCResponse?) in
                    if s.done || Task.isCancelled {
                        s.done = true
                        return (true, s.value)
                    }
                    s.waiter = c
                    return (false, nil)
                }
                if ready.0 { c.resume(returning: ready.1) }
            }
        } onCancel: {
            let waiter = state.withLock { s -> CheckedContinuation<JSONRPCResponse?, Never>? in
                s.done = true
                defer { s.waiter = nil }
                return s.waiter
            }
            waiter?.resume(returning: nil)
        }
    }
}
