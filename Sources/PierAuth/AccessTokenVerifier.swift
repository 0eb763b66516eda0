import PierStore

/// What a resource server learns from a valid access token.
public struct VerifiedToken: Sendable, Equatable {
    public var subject: String
    public var scopes: Set<String>
    public var clientID: String?

    public init(subject: String, scopes: Set<String>, clientID: String?) {
        self.subject = subject
        self.scopes = scopes
        self.clientID = clientID
    }
}

/// Checks an access token for one resource (an MCP endpoint's URL): Pier's own tokens
/// (``AuthorizationService``) or an external identity provider's JWTs (``ExternalTokenVerifier``).
public protocol AccessTokenVerifier: Sendable {
    /// The token's subject and scopes when it is valid for `resource`; nil when it is not.
    /// - Throws: `temporarily_unavailable` when it cannot be checked now (the store or the key set is unreachable).
    func verify(_ token: String, resource: String) async throws(OAuthError) -> VerifiedToken?
}

extension AuthorizationService: AccessTokenVerifier {}
