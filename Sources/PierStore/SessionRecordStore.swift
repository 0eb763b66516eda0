/// A legacy (handshake-era) MCP session, so any instance behind a load balancer can serve it.
public struct SessionRecord: Sendable, Equatable {
    public var id: String
    public var protocolVersion: String
    /// Client capabilities as JSON text.
    public var capabilities: [UInt8]
    /// Client info as JSON text.
    public var clientInfo: [UInt8]
    public var createdAt: Timestamp
    public var lastActiveAt: Timestamp

    public init(id: String, protocolVersion: String, capabilities: [UInt8], clientInfo: [UInt8], createdAt: Timestamp = .now(), lastActiveAt: Timestamp = .now()) {
        self.id = id
        self.protocolVersion = protocolVersion
        self.capabilities = capabilities
        self.clientInfo = clientInfo
        self.createdAt = createdAt
        self.lastActiveAt = lastActiveAt
    }
}

/// Legacy session records.
public protocol SessionRecordStore: Sendable {
    func saveSession(_ session: SessionRecord) async throws
    func session(id: String) async throws -> SessionRecord?
    func touchSession(id: String, at: Timestamp) async throws
    func deleteSession(id: String) async throws -> Bool
    /// Deletes sessions idle since before `cutoff`; returns how many.
    func purgeSessions(idleSince cutoff: Timestamp) async throws -> Int
}
