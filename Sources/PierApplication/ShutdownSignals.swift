import Logging
import ServiceLifecycle
import UnixSignals

/// Runs `service` (the whole application) until it ends or a signal stops it. The first SIGTERM or SIGINT starts a
/// graceful shutdown: the listener stops accepting, long-lived SSE streams end cleanly (their clients reconnect
/// elsewhere), calls in flight get up to `grace` to answer, then upstream children stop and the store is flushed,
/// each service in turn. Past `grace` what still runs is cancelled. A second signal cancels everything at once.
enum ShutdownSignals {
    static func run(_ service: some Service, grace: Duration, logger: Logger) async throws {
        var configuration = ServiceGroupConfiguration(services: [.init(service: service)], logger: logger)
        configuration.maximumGracefulShutdownDuration = grace
        let group = ServiceGroup(configuration: configuration)
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask {
                var received = 0
                for await signal in signals {
                    received += 1
                    guard received == 1 else {
                        logger.warning("second signal: stopping now", metadata: ["signal": "\(signal)"])
                        return
                    }
                    logger.notice("shutting down gracefully", metadata: ["signal": "\(signal)", "grace_seconds": "\(grace.components.seconds)"])
                    await group.triggerGracefulShutdown()
                }
            }
            // Whichever ends first (the group, or the second signal) ends the other.
            defer { tasks.cancelAll() }
            do {
                try await tasks.next()
            } catch is CancellationError {
                return
            }
        }
    }
}
