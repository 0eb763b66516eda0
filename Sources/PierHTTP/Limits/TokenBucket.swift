/// One caller's bucket: `tokens` left as of `updated`. A value with no clock of its own, so it is tested
/// without waiting.
public struct TokenBucket: Sendable, Equatable {
    public private(set) var tokens: Double
    public private(set) var updated: ContinuousClock.Instant

    /// A full bucket.
    public init(limit: RateLimit, now: ContinuousClock.Instant) {
        tokens = limit.capacity
        updated = now
    }

    /// Refills for the time since the last take (up to the bucket's size), then takes one token if there is one.
    public mutating func take(limit: RateLimit, now: ContinuousClock.Instant) -> RateDecision {
        refill(limit: limit, now: now)
        guard tokens >= 1 else { return RateDecision.after(granted: false, tokens: tokens, limit: limit) }
        tokens -= 1
        return .allowed
    }

    /// Whether the bucket would be full by `now` (so forgetting it changes nothing).
    public func isFull(limit: RateLimit, now: ContinuousClock.Instant) -> Bool {
        var copy = self
        copy.refill(limit: limit, now: now)
        return copy.tokens >= limit.capacity
    }

    mutating func refill(limit: RateLimit, now: ContinuousClock.Instant) {
        guard now > updated else { return }
        let elapsed = now - updated
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        tokens = min(limit.capacity, tokens + seconds * limit.refillPerSecond)
        updated = now
    }
}
