public import ServiceLifecycle
public import Logging

/// Keeps a store tidy on a timer: expired state, expired OAuth codes and tokens, activity older than the retention
/// period, and idle legacy session records. A `Service`, so it stops with the group.
public struct StoreMaintenance: Service {
    public struct Policy: Sendable {
        /// How long activity events are kept.
        public var activityRetention: Duration
        /// How long an idle legacy session record is kept.
        public var sessionIdle: Duration
        /// How often to sweep.
        public var interval: Duration

        public init(activityRetention: Duration = .seconds(30 * 86_400), sessionIdle: Duration = .seconds(3600), interval: Duration = .seconds(300)) {
            self.activityRetention = activityRetention
            self.sessionIdle = sessionIdle
            self.interval = interval
        }
    }

    let store: any StoreBackend
    let policy: Policy
    let logger: Logger

    public init(store: any StoreBackend, policy: Policy, logger: Logger) {
        self.store = store
        self.policy = policy
        self.logger = logger
    }

    /// One sweep; returns how many records each step removed.
    @discardableResult
    public func sweep(now: Timestamp = .now()) async throws -> (state: Int, grants: Int, activity: Int, sessions: Int) {
        let state = try await store.purgeExpiredState(now: now)
        let grants = try await store.purgeExpiredGrants(now: now)
        let activity = try await store.purgeActivity(olderThan: now.adding(.zero - policy.activityRetention))
        let sessions = try await store.purgeSessions(idleSince: now.adding(.zero - policy.sessionIdle))
        return (state, grants, activity, sessions)
    }

    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: policy.interval) }
            } catch {
                return
            }
            do {
                let removed = try await sweep()
                logger.debug(
                    "store maintenance",
                    metadata: ["state": "\(removed.state)", "grants": "\(removed.grants)", "activity": "\(removed.activity)", "sessions": "\(removed.sessions)"])
            } catch {
                // A failed sweep (database briefly unreachable) is retried at the next interval.
                logger.warning("store maintenance failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
