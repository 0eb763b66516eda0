import ServiceLifecycle

/// Runs `body` every `interval` until the task is cancelled or the service group shuts down gracefully: the loop
/// of Pier's sweeping services.
func runPeriodically(every interval: Duration, _ body: () async -> Void) async {
    while !Task.isCancelled, !Task.isShuttingDownGracefully {
        do {
            try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        } catch {
            return
        }
        await body()
    }
}
