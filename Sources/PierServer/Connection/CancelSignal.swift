import PierSync

/// A one-shot signal: `fire()` wakes every `wait()`, now and later. Waiting honours task cancellation.
///
/// Transports give one to each call; firing it (`notifications/cancelled`, a departed client) cancels the call.
public final class CancelSignal: Sendable {
    private struct State {
        var fired = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextID = 0
    }
    private let state = Locked(State())

    public init() {}

    public var isFired: Bool { state.withLock { $0.fired } }

    public func fire() {
        let waiters = state.withLock { s -> [Int: CheckedContinuation<Void, Never>] in
            guard !s.fired else { return [:] }
            s.fired = true
            defer { s.waiters = [:] }
            return s.waiters
        }
        for w in waiters.values { w.resume() }
    }

    /// Returns when the signal fires or the calling task is cancelled.
    public func wait() async {
        // Most waits find the signal fired already (a call that finished without suspending).
        let id = state.withLock { s -> Int? in
            guard !s.fired else { return nil }
            s.nextID += 1
            return s.nextID
        }
        guard let id else { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.fired || Task.isCancelled { return true }
                    s.waiters[id] = c
                    return false
                }
                if resumeNow { c.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}
