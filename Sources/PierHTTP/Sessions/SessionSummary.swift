import MCPCore
import PierServer

/// What an operator sees of one live handshake-era session: never its traffic.
public struct SessionSummary: Sendable, Equatable {
    public var id: String
    /// `streamable-http` or `sse` (the 2024-11-05 HTTP+SSE transport).
    public var transport: String
    public var endpoint: String
    /// The version `initialize` negotiated; `nil` before it.
    public var protocolVersion: String?
    public var clientName: String?
    public var clientVersion: String?
    public var idleSeconds: Double

    init(session: LegacySession, endpoint: String, now: ContinuousClock.Instant) {
        self.init(id: session.id, transport: "streamable-http", endpoint: endpoint, client: session.connection.client, idle: now - session.lastActive)
    }

    init(connection: SSEConnection, endpoint: String, now: ContinuousClock.Instant) {
        self.init(id: connection.id, transport: "sse", endpoint: endpoint, client: connection.connection.client, idle: now - connection.lastActive)
    }

    private init(id: String, transport: String, endpoint: String, client: ClientContext?, idle: Duration) {
        self.id = id
        self.transport = transport
        self.endpoint = endpoint
        self.protocolVersion = client?.version.rawValue
        self.clientName = client?.info?["name"]?.stringValue
        self.clientVersion = client?.info?["version"]?.stringValue
        self.idleSeconds = max(0, Double(idle.components.seconds) + Double(idle.components.attoseconds) / 1e18)
    }
}
