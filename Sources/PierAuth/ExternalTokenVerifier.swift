#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JWTKit
import MCPCore
import PierStore
import PierSync

/// The resource-server check for an external identity provider's access tokens (JWTs): signed with a key of the
/// provider's published set (an asymmetric algorithm only), `iss` the provider, `aud` naming the endpoint's
/// resource URL (or the configured audience), unexpired. The key set comes from `jwks_uri` (configured, or found
/// in the provider's metadata), is kept `refreshInterval`, and is fetched again early when a token names a key
/// it does not hold (the provider rotated), at most once per `unknownKeyRetry`.
public final class ExternalTokenVerifier: AccessTokenVerifier {
    public struct Settings: Sendable {
        public var issuer: String
        /// An audience accepted besides each endpoint's resource URL (for providers that give one `aud` to every API).
        public var audience: String?
        /// The key set's URL; nil: the provider's metadata names it.
        public var jwksURL: String?
        public var refreshInterval: Duration = .seconds(600)
        public var unknownKeyRetry: Duration = .seconds(5)
        /// Clock skew tolerated on `exp` and `nbf`.
        public var leeway: Duration = .seconds(60)

        public init(issuer: String, audience: String? = nil, jwksURL: String? = nil) {
            self.issuer = issuer
            self.audience = audience
            self.jwksURL = jwksURL
        }
    }

    struct Keys {
        var collection: JWTKeyCollection?
        var kids: Set<String> = []
        var fetchedAt: ContinuousClock.Instant?
        var jwksURL: String?
    }

    public let settings: Settings
    let fetcher: any MetadataFetcher
    private let keys = Locked(Keys())

    public init(settings: Settings, fetcher: any MetadataFetcher) {
        self.settings = settings
        self.fetcher = fetcher
        keys.withLock { $0.jwksURL = settings.jwksURL }
    }

    public func verify(_ token: String, resource: String) async throws(OAuthError) -> VerifiedToken? {
        guard token.utf8.count <= 16 * 1024, let header = CompactJWS.header(token), let alg = header["alg"]?.stringValue, ClientAssertion.algorithms.contains(alg) else {
            return nil
        }
        let kid = header["kid"]?.stringValue
        let now = ContinuousClock.now
        var state = keys.withLock { $0 }
        let stale = state.fetchedAt.map { now - $0 > settings.refreshInterval } ?? true
        let unknown = kid.map { !state.kids.contains($0) } ?? false
        let mayRetry = state.fetchedAt.map { now - $0 > settings.unknownKeyRetry } ?? true
        if state.collection == nil, !mayRetry {
            // No keys yet and an attempt just now (under way, or failed): do not pile fetches onto the provider.
            throw .temporarilyUnavailable("the identity provider's keys are not fetched yet")
        }
        if state.collection == nil || stale || (unknown && mayRetry) {
            state = try await refresh(now: now, keepOnFailure: state.collection != nil)
        }
        guard let collection = state.collection, kid.map(state.kids.contains) ?? true else { return nil }
        let claims: JWTClaims
        do {
            claims = try await collection.verify(token, as: JWTClaims.self, iteratingKeys: kid == nil)
        } catch {
            return nil
        }
        let seconds = Double(Timestamp.now().milliseconds) / 1000
        let leeway = Double(settings.leeway.components.seconds)
        guard claims.iss == settings.issuer, let subject = claims.sub, !subject.isEmpty else { return nil }
        guard let audience = claims.aud?.value, audience.contains(resource) || settings.audience.map(audience.contains) == true else { return nil }
        guard let exp = claims.exp, exp > seconds - leeway else { return nil }
        if let nbf = claims.nbf, nbf > seconds + leeway { return nil }
        let scopes = claims.scope.map(Scopes.parse) ?? claims.scp?.values ?? []
        return VerifiedToken(subject: subject, scopes: Set(scopes), clientID: claims.client_id ?? claims.azp)
    }

    /// Fetches the key set (finding its URL first when needed). A failed fetch keeps the keys held, if any, and
    /// reports the provider unreachable only when there are none.
    func refresh(now: ContinuousClock.Instant, keepOnFailure: Bool) async throws(OAuthError) -> Keys {
        // Mark the attempt first, so concurrent requests with an unknown key do not all fetch.
        let url = keys.withLock { state -> String? in
            state.fetchedAt = now
            return state.jwksURL
        }
        do throws(OAuthError) {
            let jwksURL: String
            if let url { jwksURL = url } else { jwksURL = try await discoverKeySetURL() }
            let fetched = try await fetcher.fetch(jwksURL, limit: 256 * 1024)
            let set: JWKS
            do {
                set = try JSONDecoder().decode(JWKS.self, from: Data(fetched.body))
            } catch {
                throw OAuthError.temporarilyUnavailable("the identity provider's key set cannot be read")
            }
            let collection = JWTKeyCollection()
            var kids = Set<String>()
            for key in set.keys {
                guard let kid = key.keyIdentifier else { continue }
                if (try? await collection.add(jwk: key)) != nil { kids.insert(kid.string) }
            }
            return keys.withLock { state in
                state.collection = collection
                state.kids = kids
                state.jwksURL = jwksURL
                return state
            }
        } catch {
            guard keepOnFailure else { throw error }
            return keys.withLock { $0 }
        }
    }

    /// `jwks_uri` from the provider's metadata: OpenID Connect discovery, then RFC 8414 (path inserted). The
    /// metadata must name the same issuer (RFC 8414 §3.3).
    func discoverKeySetURL() async throws(OAuthError) -> String {
        let issuer = settings.issuer.hasSuffix("/") ? String(settings.issuer.dropLast()) : settings.issuer
        var candidates = [issuer + "/.well-known/openid-configuration"]
        if let schemeEnd = issuer.firstRange(of: "://") {
            let rest = issuer[schemeEnd.upperBound...]
            let authority = rest.prefix { $0 != "/" }
            candidates.append(issuer[..<schemeEnd.upperBound] + authority + "/.well-known/oauth-authorization-server" + rest.dropFirst(authority.count))
        }
        for candidate in candidates {
            guard let fetched = try? await fetcher.fetch(candidate, limit: 256 * 1024),
                case .object(let metadata)? = try? JSONValue(parsing: fetched.body),
                metadata["issuer"]?.stringValue == settings.issuer, let jwks = metadata["jwks_uri"]?.stringValue
            else { continue }
            return jwks
        }
        throw .temporarilyUnavailable("the identity provider's metadata (with its jwks_uri) cannot be fetched")
    }
}
