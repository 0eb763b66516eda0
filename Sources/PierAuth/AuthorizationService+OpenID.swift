import JWTKit
public import MCPCore
import PierStore

/// OpenID Connect on top of the authorization server: an ID token when `openid` was granted, and the userinfo
/// answer (`sub`, with `email` and `email_verified` under `email`, `preferred_username` under `profile`).
extension AuthorizationService {
    struct IDTokenClaims: JWTPayload {
        var iss: String
        var sub: String
        var aud: String
        var exp: Int
        var iat: Int
        var nonce: String?
        var email: String?
        var email_verified: Bool?
        var preferred_username: String?

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// The claims about `subject` the `scopes` allow.
    func identity(_ subject: String, scopes: [String]) async throws(OAuthError) -> (email: String?, name: String?) {
        var email: String?
        if scopes.contains("email") { email = try await storeCall({ try await self.store.user(name: subject) })?.email }
        return (email, scopes.contains("profile") ? subject : nil)
    }

    func idToken(client: OAuthClientRecord, subject: String, scopes: [String], nonce: String?) async throws(OAuthError) -> String {
        let now = Int(Timestamp.now().milliseconds / 1000)
        let claims = try await identity(subject, scopes: scopes)
        let token = IDTokenClaims(
            iss: settings.issuer, sub: subject, aud: client.id, exp: now + Int(settings.accessTokenLifetime.components.seconds), iat: now, nonce: nonce,
            email: claims.email, email_verified: claims.email == nil ? nil : true, preferred_username: claims.name)
        do {
            return try await signingKeys.sign(token)
        } catch {
            throw .temporarilyUnavailable("the ID token cannot be signed now")
        }
    }

    /// `/auth/userinfo` for an access token Pier issued with `openid` (for any of its resources).
    public func userinfo(_ token: String) async throws(OAuthError) -> JSONObject {
        guard token.hasPrefix("pier_at_"), token.utf8.count < 200,
            let record = try await storeCall({ try await self.store.token(SecretHash(of: token)) }),
            record.kind == .access, !record.revoked, record.expiresAt > .now()
        else { throw OAuthError("invalid_token", "the access token is unknown, expired or revoked", status: 401) }
        guard record.scopes.contains("openid") else { throw OAuthError("insufficient_scope", "the access token was not granted openid", status: 403) }
        let claims = try await identity(record.subject, scopes: record.scopes)
        var answer: JSONObject = ["sub": .string(record.subject)]
        if let email = claims.email {
            answer["email"] = .string(email)
            answer["email_verified"] = true
        }
        if let name = claims.name { answer["preferred_username"] = .string(name) }
        return answer
    }
}
