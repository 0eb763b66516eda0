import Foundation
import Logging
import PierStore
import PierStorePostgres
import PostgresNIO
import PierSync
import Testing

/// PostgreSQL ending the store's connections while calls run (what a restart or a failover does): every call
/// returns, with its answer or with `.unavailable`, and none waits forever.
@Suite("PostgreSQL ending connections under load")
struct ConnectionLossTests {
    /// How each worker got on: calls made, calls that failed, and whether it has stopped.
    struct Tally: Sendable {
        var calls = 0
        var failures = 0
        var finished = 0
        var otherErrors: [String] = []
    }

    /// The tally, shared by the detached workers.
    final class Shared: Sendable {
        let tally = Locked(Tally())
        func update(_ change: (inout Tally) -> Void) { tally.withLock { change(&$0) } }
        var now: Tally { tally.withLock { $0 } }
    }

    @Test func noCallHangsWhenPostgresEndsItsConnections() async throws {
        guard Backend.enabled.contains(.postgres), let adminURL = Backend.postgresURL else { return }
        try await withPostgresStore { store in
            let database = store.settings.database ?? "postgres"
            let admin = PostgresStore(settings: try PostgresSettings(url: adminURL), logger: Logger(label: "test-killer"))
            try await withRunningClient(admin) {
                let tally = Shared()
                let workers = 8
                let runFor: Duration = .seconds(4)
                let started = ContinuousClock.now
                // The workers run detached: one stuck call must show up as a worker that never finished, not
                // as a test that never ends.
                for worker in 0..<workers {
                    Task.detached {
                        var n = 0
                        while ContinuousClock.now - started < runFor {
                            n += 1
                            let key = "w\(worker)-\(n % 5)"
                            do {
                                let current = try await store.get(namespace: "loss", key: key)
                                _ = try await store.compareAndSet(
                                    namespace: "loss", key: key, expectedVersion: current?.version, value: Array("\(n)".utf8), ttl: nil)
                                tally.update { $0.calls += 1 }
                            } catch let error as StoreError where error.kind == .unavailable || error.kind == .backend {
                                tally.update { $0.calls += 1; $0.failures += 1 }
                            } catch {
                                tally.update { $0.otherErrors.append("\(error)") }
                            }
                        }
                        tally.update { $0.finished += 1 }
                    }
                }
                var terminations = 0
                while ContinuousClock.now - started < runFor {
                    try await Task.sleep(for: .milliseconds(40))
                    _ = try? await admin.client.query(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = \(database) AND pid <> pg_backend_pid()")
                    terminations += 1
                }
                // A call that got an answer or an error has returned by now; give the slowest ones time.
                let deadline = ContinuousClock.now + .seconds(15)
                while tally.now.finished < workers, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(100))
                }
                let seen = tally.now
                #expect(seen.finished == workers, "\(workers - seen.finished) of \(workers) workers are stuck in a store call (\(seen.calls) calls, \(terminations) rounds of terminations)")
                #expect(seen.otherErrors.isEmpty, "errors other than StoreError: \(seen.otherErrors.prefix(3))")
                // The terminations did hit calls, and calls went on succeeding between them.
                #expect(seen.failures > 0)
                #expect(seen.calls - seen.failures > 0, "no call succeeded between the terminations")
            }
        }
    }
}
