import PierSync

/// Buckets in this process's memory: for one instance (SQLite), and the fallback when the shared store cannot be
/// reached. At most `maximumKeys` buckets are kept; past that, full ones are forgotten (a full bucket is the same
/// as none), and if every one is in use, the oldest.
public final class LocalRateLimiter: RateLimiter {
    private struct Entry {
        var bucket: TokenBucket
        let limit: RateLimit
    }
    private let buckets = Locked<[String: Entry]>([:])
    let maximumKeys: Int

    public init(maximumKeys: Int = 100_000) {
        self.maximumKeys = maximumKeys
    }

    public func take(_ key: String, limit: RateLimit) async -> RateDecision {
        take(key, limit: limit, now: .now)
    }

    func take(_ key: String, limit: RateLimit, now: ContinuousClock.Instant) -> RateDecision {
        buckets.withLock { table in
            if table[key] == nil, table.count >= maximumKeys { Self.evict(&table, now: now) }
            var entry = table[key] ?? Entry(bucket: TokenBucket(limit: limit, now: now), limit: limit)
            let decision = entry.bucket.take(limit: limit, now: now)
            table[key] = entry
            return decision
        }
    }

    /// What a take would decide now, without taking (for limits that count failures only).
    public func peek(_ key: String, limit: RateLimit) async -> RateDecision {
        let now = ContinuousClock.now
        return buckets.withLock { table in
            guard var bucket = table[key]?.bucket else { return .allowed }
            bucket.refill(limit: limit, now: now)
            return bucket.tokens >= 1 ? .allowed : RateDecision.after(granted: false, tokens: bucket.tokens, limit: limit)
        }
    }

    /// The number of buckets kept.
    var count: Int { buckets.withLock { $0.count } }

    private static func evict(_ table: inout [String: Entry], now: ContinuousClock.Instant) {
        let full = table.filter { $0.value.bucket.isFull(limit: $0.value.limit, now: now) }.map(\.key)
        for key in full { table[key] = nil }
        if full.isEmpty, let oldest = table.min(by: { $0.value.bucket.updated < $1.value.bucket.updated })?.key { table[oldest] = nil }
    }
}
