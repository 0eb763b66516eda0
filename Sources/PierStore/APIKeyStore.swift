/// An API key for the management API, stored by hash with a short visible prefix.
public struct APIKeyRecord: Sendable, Equatable {
    public var id: String
    public var name: String
    public var keyHash: SecretHash
    /// The first characters of the key, to tell keys apart in listings.
    public var prefix: String
    public var scopes: [String]
    public var createdAt: Timestamp
    public var revokedAt: Timestamp?

    public init(id: String, name: String, keyHash: SecretHash, prefix: String, scopes: [String], createdAt: Timestamp = .now(), revokedAt: Timestamp? = nil) {
        self.id = id
        self.name = name
        self.keyHash = keyHash
        self.prefix = prefix
        self.scopes = scopes
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

/// API keys.
public protocol APIKeyStore: Sendable {
    /// - Throws: `StoreError.duplicate` for a taken id or hash.
    func createAPIKey(_ key: APIKeyRecord) async throws
    /// The key with this hash, revoked or not.
    func apiKey(hash: SecretHash) async throws -> APIKeyRecord?
    /// Every key, newest first.
    func listAPIKeys() async throws -> [APIKeyRecord]
    /// Returns whether a live key was revoked.
    func revokeAPIKey(id: String, at: Timestamp) async throws -> Bool
}
