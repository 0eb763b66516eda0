/// A rate: so many requests a minute, in bursts of up to that many (a token bucket of that size, refilled evenly
/// over the minute).
public struct RateLimit: Sendable, Hashable {
    public let perMinute: Int

    /// - Precondition: `perMinute` > 0.
    public init(perMinute: Int) {
        precondition(perMinute > 0, "a rate limit allows at least one request a minute")
        self.perMinute = perMinute
    }

    /// The bucket's size.
    public var capacity: Double { Double(perMinute) }
    /// Tokens added per second.
    public var refillPerSecond: Double { Double(perMinute) / 60 }
}

/// Whether a request may go on.
public enum RateDecision: Sendable, Equatable {
    case allowed
    /// Over the limit; a token is back in `retryAfter` seconds (at least 1).
    case refused(retryAfter: Int)

    /// The decision for a bucket left with `tokens` after a take that `granted` or not.
    public static func after(granted: Bool, tokens: Double, limit: RateLimit) -> RateDecision {
        if granted { return .allowed }
        let wait = (1 - tokens) / limit.refillPerSecond
        return .refused(retryAfter: max(1, Int(wait.rounded(.up))))
    }
}

/// Takes tokens from buckets keyed by caller: in this process, or in a store every instance shares.
public protocol RateLimiter: Sendable {
    /// Takes one token from the bucket `key` of size and rate `limit`.
    func take(_ key: String, limit: RateLimit) async -> RateDecision
}
