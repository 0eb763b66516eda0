import Logging
import MCPCore
import PierServer
import PierStore
import PierStorePostgres
import ServiceLifecycle

/// The ``ClusterBus`` of instances on one PostgreSQL database: each message is a `NOTIFY` on `pier_cluster`
/// (envelope JSON, see ``ClusterMessage/envelope``). One too large for `NOTIFY` is put in the state table
/// (`pier.cluster/<key>`, kept five minutes) and the `NOTIFY` carries its key. A `Service`: it listens while the
/// group runs, and goes on listening after PostgreSQL comes back.
final class PostgresClusterBus: ClusterBus, Service {
    static let channel = "pier_cluster"
    static let namespace = "pier.cluster"
    static let payloadLifetime: Duration = .seconds(300)

    let instance: String
    let store: PostgresStore
    let logger: Logger
    let fanout = ClusterFanout()

    init(instance: String, store: PostgresStore, logger: Logger) {
        self.instance = instance
        self.store = store
        self.logger = logger
    }

    func publish(_ message: ClusterMessage) async {
        var message = message
        message.sender = instance
        var text = message.envelope.serializedString()
        do {
            if text.utf8.count > PostgresStore.maxNotifyBytes {
                let key = Self.newKey()
                _ = try await store.compareAndSet(
                    namespace: Self.namespace, key: key, expectedVersion: nil, value: Array(text.utf8), ttl: Self.payloadLifetime)
                var reference: JSONObject = ["ref": .string(key), "from": .string(instance)]
                if let recipient = message.recipient { reference["to"] = .string(recipient) }
                text = JSONValue.object(reference).serializedString()
            }
            try await store.notify(channel: Self.channel, payload: text)
        } catch {
            logger.warning("a message to the other instances was not sent", metadata: ["topic": "\(message.topic.rawValue)", "error": "\(error)"])
        }
    }

    func messages() -> AsyncStream<ClusterMessage> { fanout.stream() }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.store.listen(channel: Self.channel) { payload in await self.receive(payload) }
        }
        fanout.finish()
    }

    /// Delivers a notification meant for this instance (not its own, not another's), fetching a large one.
    func receive(_ payload: String) async {
        guard let json = try? JSONValue(parsing: payload), case .object(let envelope) = json, let sender = envelope["from"]?.stringValue,
            sender != instance
        else { return }
        if let recipient = envelope["to"]?.stringValue, recipient != instance { return }
        var full = json
        if let key = envelope["ref"]?.stringValue {
            do {
                guard let entry = try await store.get(namespace: Self.namespace, key: key) else { return }
                full = try JSONValue(parsing: entry.value)
            } catch {
                logger.warning("a large message from another instance could not be read", metadata: ["error": "\(error)"])
                return
            }
        }
        guard let message = ClusterMessage(envelope: full) else { return }
        fanout.deliver(message)
    }

    static func newKey() -> String {
        var g = SystemRandomNumberGenerator()
        return String(g.next() as UInt64, radix: 16) + String(g.next() as UInt64, radix: 16)
    }
}
