import Logging
public import ServiceLifecycle

/// Expires idle legacy sessions on a timer. A `Service`, so it stops with the group.
public struct SessionReaper: Service {
    let store: SessionStore
    let interval: Duration
    let logger: Logger

    init(store: SessionStore, interval: Duration, logger: Logger) {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await runPeriodically(every: interval) {
            let expired = store.expireIdle()
            if expired > 0 { logger.debug("expired idle sessions", metadata: ["count": "\(expired)"]) }
        }
    }
}
