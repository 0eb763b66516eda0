/// A registered OAuth client (DCR, CIMD or pre-registered).
public struct OAuthClientRecord: Sendable, Equatable {
    public var id: String
    public var name: String
    public var redirectURIs: [String]
    /// The client's metadata document as JSON text.
    public var metadata: [UInt8]
    /// Confidential clients only.
    public var secretHash: SecretHash?
    public var createdAt: Timestamp

    public init(id: String, name: String, redirectURIs: [String], metadata: [UInt8] = Array("{}".utf8), secretHash: SecretHash? = nil, createdAt: Timestamp = .now()) {
        self.id = id
        self.name = name
        self.redirectURIs = redirectURIs
        self.metadata = metadata
        self.secretHash = secretHash
        self.createdAt = createdAt
    }
}

/// A one-time authorization code, stored by hash.
public struct AuthorizationCodeRecord: Sendable, Equatable {
    public var codeHash: SecretHash
    public var clientID: String
    public var subject: String
    public var redirectURI: String
    public var scopes: [String]
    public var resource: String?
    public var codeChallenge: String
    public var expiresAt: Timestamp

    public init(
        codeHash: SecretHash, clientID: String, subject: String, redirectURI: String, scopes: [String], resource: String?, codeChallenge: String,
        expiresAt: Timestamp
    ) {
        self.codeHash = codeHash
        self.clientID = clientID
        self.subject = subject
        self.redirectURI = redirectURI
        self.scopes = scopes
        self.resource = resource
        self.codeChallenge = codeChallenge
        self.expiresAt = expiresAt
    }
}

/// An access or refresh token, stored by hash.
public struct TokenRecord: Sendable, Equatable {
    public enum Kind: String, Sendable { case access, refresh }

    public var tokenHash: SecretHash
    public var kind: Kind
    public var clientID: String
    public var subject: String
    public var scopes: [String]
    public var resource: String?
    /// Tokens of one grant share a family, so reuse of a rotated refresh token can revoke them all.
    public var familyID: String
    public var expiresAt: Timestamp
    public var revoked: Bool

    public init(
        tokenHash: SecretHash, kind: Kind, clientID: String, subject: String, scopes: [String], resource: String?, familyID: String,
        expiresAt: Timestamp, revoked: Bool = false
    ) {
        self.tokenHash = tokenHash
        self.kind = kind
        self.clientID = clientID
        self.subject = subject
        self.scopes = scopes
        self.resource = resource
        self.familyID = familyID
        self.expiresAt = expiresAt
        self.revoked = revoked
    }
}

/// OAuth clients, authorization codes and tokens. Secrets only ever arrive as ``SecretHash``.
public protocol OAuthStore: Sendable {
    /// Every registered client (DCR and pre-registered; CIMD clients are fetched, not stored), oldest first.
    func listClients() async throws -> [OAuthClientRecord]
    /// Every token neither revoked nor expired at `now` (for operators: who holds which grant).
    func liveTokens(now: Timestamp) async throws -> [TokenRecord]
    /// - Throws: `StoreError.duplicate` for a taken id.
    func createClient(_ client: OAuthClientRecord) async throws
    func client(id: String) async throws -> OAuthClientRecord?
    func deleteClient(id: String) async throws -> Bool

    func saveCode(_ code: AuthorizationCodeRecord) async throws
    /// Returns the code and deletes it in one step, so it can be used once; `nil` if unknown or expired.
    func consumeCode(_ hash: SecretHash, now: Timestamp) async throws -> AuthorizationCodeRecord?

    func saveToken(_ token: TokenRecord) async throws
    /// The token, revoked or not (callers check `revoked` and `expiresAt`).
    func token(_ hash: SecretHash) async throws -> TokenRecord?
    /// Marks the refresh token `old` revoked and saves `replacement`, only if `old` was live; returns whether it was.
    func rotateRefreshToken(_ old: SecretHash, replacement: TokenRecord, now: Timestamp) async throws -> Bool
    /// Revokes every token of a family; returns how many changed.
    func revokeFamily(_ familyID: String) async throws -> Int
    /// Deletes expired codes and tokens; returns how many.
    func purgeExpiredGrants(now: Timestamp) async throws -> Int
}
