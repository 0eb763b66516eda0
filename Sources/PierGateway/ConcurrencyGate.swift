import PierSync

/// At most `limit` holders at once; up to `queueLimit` more wait in order, and the rest are turned away.
/// Waiting honours cancellation.
public final class ConcurrencyGate: Sendable {
    public let limit: Int
    public let queueLimit: Int

    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<Bool, Never>
    }
    private struct State {
        var held = 0
        var waiters: [Waiter] = []
        var nextID = 0
    }
    private let state = Locked(State())

    public init(limit: Int, queueLimit: Int) {
        self.limit = max(limit, 1)
        self.queueLimit = max(queueLimit, 0)
    }

    /// Takes a place, waiting in the queue if needed. `false` when the queue is full or the task was cancelled.
    public func enter() async -> Bool {
        enum Immediate { case entered, refused, wait(Int) }
        let now = state.withLock { s -> Immediate in
            if s.held < limit, s.waiters.isEmpty {
                s.held += 1
                return .entered
            }
            guard s.waiters.count < queueLimit else { return .refused }
            s.nextID += 1
            return .wait(s.nextID)
        }
        switch now {
        case .entered: return true
        case .refused: return false
        case .wait(let id):
            return await withTaskCancellationHandler {
                await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
                    let cancelled = state.withLock { s -> Bool in
                        if Task.isCancelled { return true }
                        s.waiters.append(Waiter(id: id, continuation: c))
                        return false
                    }
                    if cancelled { c.resume(returning: false) }
                }
            } onCancel: {
                let waiter = state.withLock { s -> Waiter? in
                    guard let index = s.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                    return s.waiters.remove(at: index)
                }
                waiter?.continuation.resume(returning: false)
            }
        }
    }

    /// Gives a place back, handing it to the first waiter.
    public func leave() {
        let next = state.withLock { s -> Waiter? in
            if s.waiters.isEmpty {
                s.held -= 1
                return nil
            }
            return s.waiters.removeFirst()
        }
        next?.continuation.resume(returning: true)
    }
}
