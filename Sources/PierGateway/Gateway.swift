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
