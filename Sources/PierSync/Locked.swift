#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value that threads share behind a lock: the one lock Pier guards its shared state with.
///
/// It is a `pthread_mutex_t` rather than `Synchronization.Mutex`. ThreadSanitizer intercepts pthread locks, but
/// (Swift 6.3 on Linux) it does not see `Mutex`'s futex, so it reports every `Mutex`-guarded access made from two
/// threads as a race. With one lock in every build, the sanitizer run checks the code that ships.
///
/// Like `Mutex`, the lock is not reentrant: calling `withLock` again from inside `body` deadlocks. Keep `body`
/// short and never suspend or block in it.
public final class Locked<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    /// Guards `value`, which from now on is read and changed only through ``withLock(_:)``.
    public init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let status = pthread_mutex_init(mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed (\(status))")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` on the value while holding the lock, and returns what `body` returns.
    public func withLock<Result, Failure: Error>(
        _ body: (inout Value) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
