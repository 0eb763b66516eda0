public import MCPCore
import PierServer

/// Where handshake-era sessions are kept beyond one process, so that any instance behind a load balancer serves any
/// session id (and a restarted one serves the ids it issued). Pier's store implements it; without one, sessions live
/// in their instance only.
///
/// An instance keeps the sessions it serves in memory and uses the directory at the edges: it saves a session when
/// `initialize` opens it and whenever its state changes, loads one it does not hold, marks use now and then (every
/// ``MCPHTTPConfiguration/sessionTouchInterval``, taking up what other instances changed), and removes one that
/// ends. Removing sessions idle on every
/// instance is the directory's own work (Pier's store maintenance does it).
public protocol SessionDirectory: Sendable {
    /// Writes the session whole.
    func save(_ session: SharedSession) async throws
    /// The session `id`, or `nil` when no instance holds it (never opened, ended, or idle too long).
    func load(_ id: String) async throws -> SharedSession?
    /// Marks the session used now and returns it as it stands (another instance may have changed its log level or
    /// subscriptions); `nil` when it has gone (ended on another instance, or purged).
    func touch(_ id: String) async throws -> SharedSession?
    /// Ends the session for every instance; `false` when there was none.
    func remove(_ id: String) async throws -> Bool
}

/// What an instance needs to take up a session opened elsewhere.
public struct SharedSession: Sendable, Equatable {
    public var id: String
    /// The endpoint path it belongs to; it is served there only.
    public var endpoint: String
    public var protocolVersion: ProtocolVersion
    public var capabilities: JSONObject
    public var clientInfo: JSONObject?
    public var logLevel: LogLevel?
    public var subscriptions: Set<String>

    public init(
        id: String, endpoint: String, protocolVersion: ProtocolVersion, capabilities: JSONObject, clientInfo: JSONObject?, logLevel: LogLevel?,
        subscriptions: Set<String>
    ) {
        self.id = id
        self.endpoint = endpoint
        self.protocolVersion = protocolVersion
        self.capabilities = capabilities
        self.clientInfo = clientInfo
        self.logLevel = logLevel
        self.subscriptions = subscriptions
    }

    /// The session `connection` serves, as it stands; `nil` before `initialize`.
    init?(id: String, endpoint: String, connection: MCPConnection) {
        guard let client = connection.client else { return nil }
        self.init(
            id: id, endpoint: endpoint, protocolVersion: client.version, capabilities: client.capabilities, clientInfo: client.info,
            logLevel: client.logLevel, subscriptions: connection.subscriptions)
    }

    /// The client context the session's requests speak for.
    var client: ClientContext {
        ClientContext(version: protocolVersion, capabilities: capabilities, info: clientInfo, logLevel: logLevel, sessionID: id)
    }
}
