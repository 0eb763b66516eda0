/// One stored piece of widget or app state.
public struct StateEntry: Sendable, Equatable {
    public var namespace: String
    public var key: String
    /// The value, usually JSON text.
    public var value: [UInt8]
    /// Starts at 1 and grows by one on every write, so writers can compare-and-set.
    public var version: Int64
    public var updatedAt: Timestamp
    public var expiresAt: Timestamp?

    public init(namespace: String, key: String, value: [UInt8], version: Int64, updatedAt: Timestamp, expiresAt: Timestamp?) {
        self.namespace = namespace
        self.key = key
        self.value = value
        self.version = version
        self.updatedAt = updatedAt
        self.expiresAt = expiresAt
    }
}

/// The outcome of a compare-and-set.
public enum CASResult: Sendable, Equatable {
    /// The write happened; this is the entry now stored.
    case written(StateEntry)
    /// Another writer got there first; this is what is stored now (`nil`: nothing).
    case conflict(current: StateEntry?)

    /// The stored entry when the write happened.
    public var entry: StateEntry? {
        if case .written(let e) = self { return e }
        return nil
    }
}

/// Key-value state with optimistic versioning and expiry (the widget session state of the cart pattern).
///
/// An expired entry reads as absent and may be replaced by a writer expecting absence.
public protocol StateStore: Sendable {
    /// The live entry, or `nil`.
    func get(namespace: String, key: String) async throws -> StateEntry?

    /// Writes `value` if the stored version is `expectedVersion` (`nil`: only if absent or expired).
    /// - Parameter ttl: how long the entry lives; `nil` keeps it until deleted.
    func compareAndSet(namespace: String, key: String, expectedVersion: Int64?, value: [UInt8], ttl: Duration?) async throws -> CASResult

    /// Deletes the entry if its version is `expectedVersion` (`nil`: whatever it is). Returns whether it was deleted.
    func delete(namespace: String, key: String, expectedVersion: Int64?) async throws -> Bool

    /// Deletes entries that expired before `now`; returns how many.
    func purgeExpiredState(now: Timestamp) async throws -> Int
}
