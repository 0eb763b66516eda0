public import MCPCore
import PierSync

/// The 2026-07-28 clients seen lately (they have no session to list): one row per client name, version and
/// endpoint, the least recently seen forgotten beyond `capacity`.
public final class RecentClients: Sendable {
    public struct Client: Sendable, Equatable {
        public var name: String
        public var version: String?
        public var protocolVersion: String
        public var endpoint: String
        /// The verified subject of the latest request's token, when it had one.
        public var subject: String?
        /// Milliseconds since 1970.
        public var firstSeen: Int64
        public var lastSeen: Int64
        public var requests: Int
    }

    struct Key: Hashable {
        let name: String
        let version: String?
        let endpoint: String
    }

    public let capacity: Int
    private let clients = Locked<[Key: Client]>([:])

    public init(capacity: Int = 256) { self.capacity = max(1, capacity) }

    /// Notes a request from the client `info` describes, at `endpoint`, signed in as `subject` (if at all).
    public func saw(info: JSONObject?, protocolVersion: String, endpoint: String, subject: String? = nil) {
        let name = info?["name"]?.stringValue ?? "unknown"
        let version = info?["version"]?.stringValue
        let key = Key(name: String(name.prefix(200)), version: version.map { String($0.prefix(100)) }, endpoint: endpoint)
        let now = WallClock.milliseconds()
        clients.withLock { table in
            if var client = table[key] {
                client.lastSeen = now
                client.requests += 1
                client.protocolVersion = protocolVersion
                if let subject { client.subject = subject }
                table[key] = client
                return
            }
            if table.count >= capacity, let stalest = table.min(by: { $0.value.lastSeen < $1.value.lastSeen }) { table[stalest.key] = nil }
            table[key] = Client(
                name: key.name, version: key.version, protocolVersion: protocolVersion, endpoint: endpoint, subject: subject, firstSeen: now, lastSeen: now,
                requests: 1)
        }
    }

    /// Every remembered client, the most recently seen first.
    public var all: [Client] { clients.withLock { Array($0.values) }.sorted { $0.lastSeen > $1.lastSeen } }
}
