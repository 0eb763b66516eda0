import PierSync

/// Opens once start-up has found the store's schema current (after migrating it, when that is allowed). Services
/// that read or write the store's tables wait for it, so on a fresh database none of them queries a table the
/// migrations have not made yet.
final class StoreReadiness: Sendable {
    private struct State {
        var isOpen = false
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Void, any Error>] = [:]
    }
    private let state = Locked(State())

    /// Lets every waiter, present and future, go on.
    func open() {
        let waiters = state.withLock { s in
            s.isOpen = true
            defer { s.waiters = [:] }
            return s.waiters.values
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the store is ready.
    /// - Throws: `CancellationError` when the waiting task is cancelled first.
    func wait() async throws {
        let id = state.withLock { s -> Int? in
            guard !s.isOpen else { return nil }
            s.nextWaiter += 1
            return s.nextWaiter
        }
        guard let id else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
                // Cancellation is set before `onCancel` runs, so a cancel that came before this registration is seen here.
                let outcome = state.withLock { s -> Result<Void, CancellationError>? in
                    if s.isOpen { return .success(()) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    s.waiters[id] = waiter
                    return nil
                }
                if let outcome { waiter.resume(with: outcome) }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(throwing: CancellationError())
        }
    }
}
