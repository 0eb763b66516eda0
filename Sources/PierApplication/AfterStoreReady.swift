import ServiceLifecycle

/// Runs `service` once ``StoreReadiness`` opens. If the group shuts down first (start-up failed, or a signal came),
/// it returns without running `service`.
struct AfterStoreReady: Service {
    let service: any Service
    let readiness: StoreReadiness

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await readiness.wait() }
        } catch {
            return
        }
        try await service.run()
    }
}

extension StoreReadiness {
    /// Each of `services`, run once the store is ready.
    func gating(_ services: any Service...) -> [any Service] {
        services.map { AfterStoreReady(service: $0, readiness: self) }
    }
}
