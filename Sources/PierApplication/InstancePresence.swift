import Logging
import PierStore
import ServiceLifecycle

/// This instance's mark in the store (`pier.instance/<id>`), renewed every 5 s and gone 20 s after the last renewal,
/// so other instances can tell that the instance running a task has died (killed, or its machine lost) rather
/// than that the task is slow. A `Service`: the mark is renewed while the group runs.
final class InstancePresence: Service, Sendable {
    static let namespace = "pier.instance"
    static let interval: Duration = .seconds(5)
    /// How long a mark outlives its last renewal: several missed renewals, never one slow write.
    static let lifetime: Duration = .seconds(20)

    /// A random id per process.
    let id: String
    let store: any StateStore
    let logger: Logger

    init(id: String = InstancePresence.newID(), store: any StateStore, logger: Logger) {
        self.id = id
        self.store = store
        self.logger = logger
    }

    /// A random instance id: 64 bits as hex.
    static func newID() -> String {
        var g = SystemRandomNumberGenerator()
        return String(g.next() as UInt64, radix: 16)
    }

    /// Writes the mark again (or first).
    func renew() async {
        do {
            for _ in 0..<4 {
                let current = try await store.get(namespace: Self.namespace, key: id)
                let outcome = try await store.compareAndSet(
                    namespace: Self.namespace, key: id, expectedVersion: current?.version, value: [1], ttl: Self.lifetime)
                if outcome.entry != nil { return }
            }
        } catch {
            logger.warning("this instance's presence could not be renewed", metadata: ["error": "\(error)"])
        }
    }

    /// Whether instance `id` has renewed its mark within ``lifetime``.
    func isAlive(_ id: String) async throws -> Bool {
        if id == self.id { return true }
        return try await store.get(namespace: Self.namespace, key: id) != nil
    }

    func run() async throws {
        await renew()
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.interval) }
            } catch {
                return
            }
            await renew()
        }
    }
}
