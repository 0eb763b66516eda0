/// One open legacy session (Streamable HTTP or HTTP+SSE).
public struct SessionRow: Sendable {
    public var id: String
    public var transport: String
    public var endpoint: String
    public var client: String
    public var protocolVersion: String
    public var idleSeconds: Double

    public init(id: String, transport: String, endpoint: String, client: String, protocolVersion: String, idleSeconds: Double) {
        self.id = id
        self.transport = transport
        self.endpoint = endpoint
        self.client = client
        self.protocolVersion = protocolVersion
        self.idleSeconds = idleSeconds
    }
}

/// One recently seen 2026-07-28 client.
public struct ClientRow: Sendable {
    public var client: String
    public var protocolVersion: String
    public var endpoint: String
    public var subject: String?
    public var firstSeen: String
    public var lastSeen: String
    public var requests: Int

    public init(client: String, protocolVersion: String, endpoint: String, subject: String?, firstSeen: String, lastSeen: String, requests: Int) {
        self.client = client
        self.protocolVersion = protocolVersion
        self.endpoint = endpoint
        self.subject = subject
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.requests = requests
    }
}
