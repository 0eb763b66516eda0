@testable import PierHTTP
import Testing

/// Token buckets as values, on a clock the test moves.
@Suite struct RateLimitTests {
    let limit = RateLimit(perMinute: 60)
    let start = ContinuousClock.now

    @Test func aFullBucketAllowsABurstThenRefusesWithTheWait() {
        var bucket = TokenBucket(limit: limit, now: start)
        for _ in 0..<60 { #expect(bucket.take(limit: limit, now: start) == .allowed) }
        #expect(bucket.take(limit: limit, now: start) == .refused(retryAfter: 1))
        // 60 a minute is one a second: half a second later there is still none.
        #expect(bucket.take(limit: limit, now: start + .milliseconds(500)) == .refused(retryAfter: 1))
        #expect(bucket.take(limit: limit, now: start + .milliseconds(1000)) == .allowed)
    }

    @Test func theWaitIsRoundedUp() {
        let slow = RateLimit(perMinute: 6)  // one every 10 s
        var bucket = TokenBucket(limit: slow, now: start)
        for _ in 0..<6 { _ = bucket.take(limit: slow, now: start) }
        #expect(bucket.take(limit: slow, now: start) == .refused(retryAfter: 10))
        #expect(bucket.take(limit: slow, now: start + .seconds(4)) == .refused(retryAfter: 6))
    }

    @Test func refillStopsAtTheBucketsSize() {
        var bucket = TokenBucket(limit: limit, now: start)
        _ = bucket.take(limit: limit, now: start)
        #expect(bucket.isFull(limit: limit, now: start + .seconds(1)))
        _ = bucket.take(limit: limit, now: start + .seconds(3600))
        #expect(bucket.tokens == 59)
    }

    @Test func localLimiterKeepsKeysApartAndBoundsThem() {
        let limiter = LocalRateLimiter(maximumKeys: 3)
        let one = RateLimit(perMinute: 1)
        #expect(limiter.take("a", limit: one, now: start) == .allowed)
        #expect(limiter.take("a", limit: one, now: start) == .refused(retryAfter: 60))
        #expect(limiter.take("b", limit: one, now: start) == .allowed)
        #expect(limiter.take("c", limit: one, now: start) == .allowed)
        // A fourth key evicts the oldest bucket (none is full yet): the table stays at three.
        #expect(limiter.take("d", limit: one, now: start + .seconds(1)) == .allowed)
        #expect(limiter.count == 3)
        // A minute on, every bucket is full again, so they all go to make room.
        #expect(limiter.take("e", limit: one, now: start + .seconds(120)) == .allowed)
        #expect(limiter.count == 1)
    }
}
