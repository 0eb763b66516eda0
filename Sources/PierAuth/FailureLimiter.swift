/// Counts failed attempts per client address in fixed windows: past `limit` failures in one window, the address is
/// refused until the window ends. A value with no I/O; times are given to it. At most `capacity` addresses are
/// remembered (the stalest are forgotten first).
public struct FailureLimiter: Sendable {
    public let limit: Int
    public let window: Duration
    public let capacity: Int
    private var counts: [String: (start: ContinuousClock.Instant, failures: Int)] = [:]

    public init(limit: Int = 10, window: Duration = .seconds(60), capacity: Int = 10_000) {
        self.limit = max(1, limit)
        self.window = window
        self.capacity = max(1, capacity)
    }

    /// How long `address` must wait before it may try again; `nil` when it may try now.
    public func blocked(_ address: String, at now: ContinuousClock.Instant) -> Duration? {
        guard let entry = counts[address], now - entry.start < window, entry.failures >= limit else { return nil }
        return window - (now - entry.start)
    }

    /// Records a failed attempt from `address`.
    public mutating func failed(_ address: String, at now: ContinuousClock.Instant) {
        if var entry = counts[address], now - entry.start < window {
            entry.failures += 1
            counts[address] = entry
            return
        }
        if counts.count >= capacity { evict(at: now) }
        counts[address] = (now, 1)
    }

    /// Forgets windows that have ended; if none has, the oldest.
    private mutating func evict(at now: ContinuousClock.Instant) {
        counts = counts.filter { now - $0.value.start < window }
        if counts.count >= capacity, let oldest = counts.min(by: { $0.value.start < $1.value.start }) { counts[oldest.key] = nil }
    }

    /// How many addresses are remembered.
    public var tracked: Int { counts.count }
}
