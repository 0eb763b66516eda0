import PierSync

/// How far a transport has delivered the server's numbered events, so that it can hold an answer back until the
/// changes its call made have been announced: on one stream (stdio) a client then always hears `list_changed`
/// before the result of the call that changed the list.
///
/// ```swift
/// // the event loop:  write the notifications of `numbered`, then
/// cursor.advance(to: numbered.number)
/// // an answer:       await cursor.wait(through: server.lastEventNumber), then write it
/// ```
public final class EventCursor: Sendable {
    private struct State {
        var delivered: Int
        var finished = false
        var waiters: [(number: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }
    private let state: Locked<State>

    /// A cursor that has delivered everything up to `number`.
    public init(at number: Int) { state = Locked(State(delivered: number)) }

    /// Events up to `number` have been delivered.
    public func advance(to number: Int) {
        let ready = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            guard number > s.delivered else { return [] }
            s.delivered = number
            let ready = s.waiters.filter { $0.number <= number }.map(\.continuation)
            s.waiters.removeAll { $0.number <= number }
            return ready
        }
        for waiter in ready { waiter.resume() }
    }

    /// No more events will be delivered: every wait ends now and later.
    public func finish() {
        let all = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.finished = true
            defer { s.waiters = [] }
            return s.waiters.map(\.continuation)
        }
        for waiter in all { waiter.resume() }
    }

    /// Returns once events up to `number` have been delivered (at once in the usual case), or the cursor finished.
    public func wait(through number: Int) async {
        if state.withLock({ $0.finished || $0.delivered >= number }) { return }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if s.finished || s.delivered >= number { return true }
                s.waiters.append((number, c))
                return false
            }
            if now { c.resume() }
        }
    }
}
