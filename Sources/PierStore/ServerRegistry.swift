/// A registered upstream MCP server.
public struct UpstreamServerRecord: Sendable, Equatable {
    public var id: String
    public var name: String
    /// `stdio`, `http` or `sse`.
    public var transport: String
    /// Transport settings as JSON text (command and arguments, or URL and headers).
    public var config: [UInt8]
    public var enabled: Bool
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    /// Grows by one on every update, for optimistic concurrency in the REST API.
    public var revision: Int64

    public init(
        id: String, name: String, transport: String, config: [UInt8], enabled: Bool = true, createdAt: Timestamp = .now(),
        updatedAt: Timestamp = .now(), revision: Int64 = 1
    ) {
        self.id = id
        self.name = name
        self.transport = transport
        self.config = config
        self.enabled = enabled
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.revision = revision
    }
}

/// The registry of upstream servers.
public protocol ServerRegistry: Sendable {
    /// Every server, ordered by name.
    func listServers() async throws -> [UpstreamServerRecord]
    func server(id: String) async throws -> UpstreamServerRecord?
    /// Adds a server. - Throws: `StoreError.duplicate` when the id or the name is taken.
    func createServer(_ record: UpstreamServerRecord) async throws
    /// Replaces a server if its stored revision is `expectedRevision`; returns the stored record, or `nil` on a
    /// revision conflict. - Throws: `StoreError.notFound`.
    func updateServer(_ record: UpstreamServerRecord, expectedRevision: Int64) async throws -> UpstreamServerRecord?
    /// Returns whether a server was deleted.
    func deleteServer(id: String) async throws -> Bool
}
