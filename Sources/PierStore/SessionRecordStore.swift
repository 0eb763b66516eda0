/// A legacy (handshake-era) MCP session, so any instance behind a load balancer can serve it: what `initialize`
/// negotiated and what the client changed since (its log level, its resource subscriptions).
public struct SessionRecord: Sendable, Equatable {
    public var id: String
    /// The endpoint path the session was opened on (`/mcp`, `/connectors/readonly/mcp`, …): an id is served only
    /// there, with that endpoint's view of the catalogue.
    public var endpoint: String
    public var protocolVersion: String
    /// Client capabilities as JSON text.
    public var capabilities: [UInt8]
    /// Client info as JSON text.
    public var clientInfo: [UInt8]
    /// The level `logging/setLevel` chose; `nil`: none set.
    public var logLevel: String?
    /// Resource URIs the session subscribed to.
    public var subscriptions: [String]
    public var createdAt: Timestamp
    public var lastActiveAt: Timestamp

    public init(
        id: String, endpoint: String = "/mcp", protocolVersion: String, capabilities: [UInt8], clientInfo: [UInt8], logLevel: String? = nil,
        subscriptions: [String] = [], createdAt: Timestamp = .now(), lastActiveAt: Timestamp = .now()
    ) {
        self.id = id
        self.endpoint = endpoint
        self.protocolVersion = protocolVersion
        self.capabilities = capabilities
        self.clientInfo = clientInfo
        self.logLevel = logLevel
        self.subscriptions = subscriptions
        self.createdAt = createdAt
        self.lastActiveAt = lastActiveAt
    }

    /// The subscriptions as stored: one URI per line (URIs hold no line breaks).
    public var subscriptionText: String { subscriptions.joined(separator: "\n") }

    /// Subscriptions read back from ``subscriptionText``.
    public static func subscriptions(from text: String) -> [String] { text.split(separator: "\n").map(String.init) }
}

/// Legacy session records.
public protocol SessionRecordStore: Sendable {
    /// Writes `session` whole (a new one, or one whose state changed); `createdAt` of an existing one is kept.
    func saveSession(_ session: SessionRecord) async throws
    func session(id: String) async throws -> SessionRecord?
    /// Marks the session used at `at` and returns it as stored (another instance may have changed its log level
    /// or subscriptions); `nil` when there is no such session (it was ended or purged).
    func touchSession(id: String, at: Timestamp) async throws -> SessionRecord?
    func deleteSession(id: String) async throws -> Bool
    /// Deletes sessions idle since before `cutoff`; returns how many.
    func purgeSessions(idleSince cutoff: Timestamp) async throws -> Int
}
