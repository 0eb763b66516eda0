import PierStore
import PierStorePostgres
import Testing

/// The buckets every instance shares on PostgreSQL: one atomic take, on the database's clock.
@Suite struct RateLimitStoreTests {
    @Test(.enabled(if: Backend.enabled.contains(.postgres))) func concurrentTakesNeverOverdraw() async throws {
        try await withPostgresStore { store in
            // 60 takes at once from a bucket of 10 that refills 1 token a minute: exactly 10 are granted.
            let granted = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<60 { group.addTask { try await store.takeToken(key: "k", capacity: 10, refillPerSecond: 1.0 / 60).granted } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(granted == 10)
            let after = try await store.takeToken(key: "k", capacity: 10, refillPerSecond: 1.0 / 60)
            #expect(!after.granted && after.tokens < 1 && after.tokens >= 0)
            // Another key has its own bucket.
            #expect(try await store.takeToken(key: "other", capacity: 10, refillPerSecond: 1.0 / 60) == (true, 9))
        }
    }

    @Test(.enabled(if: Backend.enabled.contains(.postgres))) func bucketsRefillOnTheDatabaseClock() async throws {
        try await withPostgresStore { store in
            // One token a second: three quick takes of a bucket of 2 (well within a second) leave the third refused.
            for _ in 0..<2 { #expect(try await store.takeToken(key: "fast", capacity: 2, refillPerSecond: 1).granted) }
            #expect(try await store.takeToken(key: "fast", capacity: 2, refillPerSecond: 1).granted == false)
            try await Task.sleep(for: .milliseconds(2_200))
            // Over two seconds later the bucket is full again, and no fuller than its size.
            for _ in 0..<2 { #expect(try await store.takeToken(key: "fast", capacity: 2, refillPerSecond: 1).granted) }
            #expect(try await store.takeToken(key: "fast", capacity: 2, refillPerSecond: 1).granted == false)
            #expect(try await store.purgeRateBuckets(idle: .seconds(3600)) == 0)
            #expect(try await store.purgeRateBuckets(idle: .zero) == 1)
        }
    }
}
