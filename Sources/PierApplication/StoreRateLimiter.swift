import Logging
import PierHTTP
import PierStore
import ServiceLifecycle
import PierSync

/// Rate-limit buckets in the shared database (PostgreSQL), so that every instance behind a load balancer counts
/// against the same limit. When the database cannot answer, this instance's own buckets stand in, and a warning
/// is logged (once a minute at most). As a service, it forgets idle buckets every ten minutes.
final class StoreRateLimiter: RateLimiter, Service {
    let store: any RateLimitStore
    let fallback = LocalRateLimiter()
    /// When the last fallback warning was logged.
    let warned = Locked<ContinuousClock.Instant?>(nil)
    let logger: Logger

    init(store: any RateLimitStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    func take(_ key: String, limit: RateLimit) async -> RateDecision {
        do {
            let (granted, tokens) = try await store.takeToken(key: key, capacity: limit.capacity, refillPerSecond: limit.refillPerSecond)
            return RateDecision.after(granted: granted, tokens: tokens, limit: limit)
        } catch {
            if shouldWarn() { logger.warning("rate limits fall back to this instance's own counts: the store did not answer", metadata: ["error": "\(error)"]) }
            return await fallback.take(key, limit: limit)
        }
    }

    func shouldWarn() -> Bool {
        warned.withLock { last in
            let now = ContinuousClock.now
            if let last, now - last < .seconds(60) { return false }
            last = now
            return true
        }
    }

    func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(600)) }
            } catch {
                return
            }
            do {
                _ = try await store.purgeRateBuckets(idle: .seconds(3600))
            } catch {
                logger.notice("could not purge idle rate-limit buckets", metadata: ["error": "\(error)"])
            }
        }
    }
}
