import PierServer
import ServiceLifecycle

/// Runs `service` once `ready` fires: start-up has found the store's schema current (after migrating it, when that
/// is allowed), so on a fresh database no service queries a table the migrations have not made yet. If the group
/// shuts down first (start-up failed, or a signal came), it returns without running `service`.
struct AfterStoreReady: Service {
    let service: any Service
    let ready: CancelSignal

    func run() async throws {
        await cancelWhenGracefulShutdown { await ready.wait() }
        guard ready.isFired else { return }
        try await service.run()
    }

    /// Each of `services`, run once `ready` fires.
    static func each(_ services: any Service..., after ready: CancelSignal) -> [any Service] {
        services.map { AfterStoreReady(service: $0, ready: ready) }
    }
}
