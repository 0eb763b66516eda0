/// Token buckets that every instance on the same database shares, so a caller's limit holds across a load
/// balancer. Each take refills and takes in one atomic step, on the database's clock.
public protocol RateLimitStore: Sendable {
    /// Refills bucket `key` (of size `capacity`, gaining `refillPerSecond` tokens a second; a new bucket starts
    /// full), then takes a token if there is one. Returns whether it did and the tokens left.
    func takeToken(key: String, capacity: Double, refillPerSecond: Double) async throws -> (granted: Bool, tokens: Double)

    /// Forgets buckets untouched for `idle` (a full bucket and no bucket are the same). Returns how many.
    func purgeRateBuckets(idle: Duration) async throws -> Int
}
