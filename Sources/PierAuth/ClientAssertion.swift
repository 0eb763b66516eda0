#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JWTKit
import MCPCore
public import PierStore

/// `private_key_jwt` (RFC 7523 §2.2, OIDC Core §9): a client authenticates at the token endpoint with a JWT it
/// signed with a key from its published key set. The JWT must be signed with an asymmetric algorithm, name the
/// client as both `iss` and `sub`, have Pier's token endpoint (or its issuer) in `aud`, be unexpired, live at
/// most an hour, and carry a `jti` (single use is the caller's part: it needs the store).
public enum ClientAssertion {
    public static let type = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    /// The signature algorithms accepted (asymmetric only: never `none`, never a shared-secret HMAC).
    public static let algorithms: Set<String> = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]
    /// The longest an assertion may live.
    public static let longestLifetime: Duration = .seconds(3600)

    /// The refusal of an assertion no key of the client's set verifies.
    public static let badSignature = OAuthError.invalidClient("the client assertion's signature does not verify against the client's keys")

    /// The claims of a checked assertion that the caller still needs.
    public struct Checked: Sendable, Equatable {
        public var jti: String
        public var expiresAt: Timestamp
    }

    /// Checks `assertion` for `clientID` against the key set `jwks` (JSON).
    public static func verify(
        _ assertion: String, clientID: String, audiences: Set<String>, jwks: String, now: Timestamp = .now()
    ) async throws(OAuthError) -> Checked {
        guard assertion.utf8.count <= 16 * 1024 else { throw .invalidClient("the client assertion is too long") }
        guard let alg = CompactJWS.header(assertion)?["alg"]?.stringValue else { throw .invalidClient("the client assertion is not a signed JWT") }
        guard algorithms.contains(alg) else { throw .invalidClient("the client assertion's algorithm \(alg) is not accepted (asymmetric signatures only)") }
        let keys = JWTKeyCollection()
        do {
            var set = try JSONDecoder().decode(JWKS.self, from: Data(jwks.utf8))
            // Keys without a `kid` get one here, so the collection can hold them; every key is tried.
            for index in set.keys.indices where set.keys[index].keyIdentifier == nil {
                set.keys[index].keyIdentifier = JWKIdentifier(string: "pier-unnamed-\(index)")
            }
            try await keys.add(jwks: set)
        } catch {
            throw .invalidClient("the client's key set cannot be read")
        }
        let claims: JWTClaims
        do {
            claims = try await keys.verify(assertion, as: JWTClaims.self, iteratingKeys: true)
        } catch {
            throw badSignature
        }
        guard claims.iss == clientID, claims.sub == clientID else { throw .invalidClient("the client assertion's iss and sub must both be the client id") }
        guard let audience = claims.aud?.value, audience.contains(where: audiences.contains) else {
            throw .invalidClient("the client assertion's aud is not this token endpoint")
        }
        let seconds = Double(now.milliseconds) / 1000
        guard let exp = claims.exp else { throw .invalidClient("the client assertion has no exp") }
        guard exp > seconds - 30 else { throw .invalidClient("the client assertion has expired") }
        guard exp <= seconds + Double(longestLifetime.components.seconds) else { throw .invalidClient("the client assertion lives longer than an hour") }
        if let nbf = claims.nbf, nbf > seconds + 60 { throw .invalidClient("the client assertion is not valid yet") }
        guard let jti = claims.jti, !jti.isEmpty, jti.utf8.count <= 256 else { throw .invalidClient("the client assertion needs a jti of at most 256 bytes") }
        return Checked(jti: jti, expiresAt: Timestamp(milliseconds: Int64(exp * 1000)))
    }
}
