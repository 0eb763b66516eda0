public import Logging
public import ServiceLifecycle

/// Every upstream server behind Pier, run side by side in one task group; stopping the gateway stops them all
/// (children are terminated and reaped before ``run()`` returns).
public final class Gateway: Service, Sendable {
    public let upstreams: [UpstreamService]
    private let logger: Logger

    public init(upstreams: [UpstreamService], logger: Logger) {
        self.upstreams = upstreams
        self.logger = logger
    }

    /// The status of every upstream, in configuration order.
    public var statuses: [UpstreamStatus] { upstreams.map(\.status) }

    /// Waits until every upstream has had its first start decided (running, or given up or backing off), or
    /// `timeout` passes: a stdio client lists tools once, right after it connects.
    public func waitUntilSettled(timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, upstreams.contains(where: { $0.status.phase == .starting }) {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    public func run() async throws {
        if !upstreams.isEmpty {
            logger.info("gateway starting", metadata: ["upstreams": "\(upstreams.count)"])
            await withDiscardingTaskGroup { group in
                for upstream in upstreams {
                    group.addTask { try? await upstream.run() }
                }
            }
        }
        // Upstreams that all failed (or none at all) are no reason to stop Pier: wait for its shutdown.
        try? await gracefulShutdown()
    }
}
