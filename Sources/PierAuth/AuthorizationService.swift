import CoreMetrics
import Crypto
public import MCPCore
public import PierStore

/// Pier's OAuth 2.1 authorization server, without HTTP: authorization requests checked, codes issued (single
/// use, short-lived, bound to the client, redirect URI, PKCE S256 challenge and `resource`), tokens issued,
/// refreshed with rotation (a replayed refresh token revokes its whole family), revoked, and validated for the
/// resource server. Codes and tokens are stored only as hashes; several instances share them through the store.
public final class AuthorizationService: Sendable {
    public struct Settings: Sendable {
        /// The issuer: Pier's public URL, exactly as the metadata and every authorization response give it.
        public var issuer: String
        /// The resources tokens may be issued for: each MCP endpoint's public URL.
        public var resources: [String]
        public var accessTokenLifetime: Duration = .seconds(3600)
        public var refreshTokenLifetime: Duration = .seconds(30 * 86_400)
        public var codeLifetime: Duration = .seconds(60)
        /// Scopes offered besides Pier's (those `tool_scopes` names).
        public var extraScopes: [String] = []

        /// Every scope this server grants.
        public var offeredScopes: [String] { Scopes.offered + extraScopes }

        public init(issuer: String, resources: [String]) {
            self.issuer = issuer
            self.resources = resources
        }
    }

    /// An authorization request whose client and redirect URI are known good (so errors can be redirected).
    public struct Request: Sendable, Equatable {
        public var client: OAuthClientRecord
        public var redirectURI: String
        public var state: String?
        public var scopes: [String]
        public var resource: String
        public var codeChallenge: String
        /// OpenID Connect's `nonce`, returned in the ID token.
        public var nonce: String?
    }

    public let settings: Settings
    let store: any StoreBackend
    let cache = TokenCache()
    /// The keys ID tokens are signed with (shared by every instance through the store).
    public let signingKeys: SigningKeys
    /// Clients whose id is the URL of their metadata document (CIMD); nil when Pier does not accept them.
    public let metadataClients: ClientMetadataResolver?

    public init(settings: Settings, store: any StoreBackend, metadataClients: ClientMetadataResolver? = nil) {
        self.settings = settings
        self.store = store
        self.metadataClients = metadataClients
        self.signingKeys = SigningKeys(store: store)
    }

    static let usedCodes = "oauth.used-code"
    static let usedAssertions = "oauth.used-assertion"
    static let nonces = "oauth.nonce"

    /// The token endpoint's URL: what a client assertion's `aud` names (the issuer is accepted too).
    public var tokenEndpoint: String { settings.issuer + "/auth/token" }

    // MARK: authorize

    /// The client and redirect URI of an authorization request. Errors here must not be redirected (the
    /// redirect URI is not trusted): show them on the page.
    public func client(_ params: [String: String]) async throws(OAuthError) -> (client: OAuthClientRecord, redirectURI: String) {
        guard let id = params["client_id"], !id.isEmpty else { throw .invalidRequest("client_id is missing") }
        let client = try await lookUp(id)
        let redirect: String
        if let given = params["redirect_uri"] {
            guard client.redirectURIs.contains(given) else { throw .invalidRequest("redirect_uri is not one this client registered") }
            redirect = given
        } else {
            guard client.redirectURIs.count == 1, let only = client.redirectURIs.first else {
                throw .invalidRequest("redirect_uri is missing (the client registered several)")
            }
            redirect = only
        }
        return (client, redirect)
    }

    /// The rest of the request, for a known client and redirect URI. Errors here are redirected (with `iss`).
    public func request(_ params: [String: String], client: OAuthClientRecord, redirectURI: String) throws(OAuthError) -> Request {
        guard params["response_type"] == "code" else { throw OAuthError("unsupported_response_type", "response_type must be code") }
        guard let challenge = params["code_challenge"] else { throw .invalidRequest("code_challenge is missing: PKCE S256 is required") }
        guard params["code_challenge_method"] == "S256" else { throw .invalidRequest("code_challenge_method must be S256 (plain is refused)") }
        guard PKCE.isValidChallenge(challenge) else { throw .invalidRequest("code_challenge is not an S256 challenge") }
        let resource = try checkedResource(params["resource"])
        var scopes = try checkedScopes(Scopes.parse(params["scope"]))
        if let allowed = Self.allowedScopes(of: client) {
            // A client registered with `scope` gets at most those (identity scopes aside); asking for none means
            // all it may have.
            if params["scope"] == nil || params["scope"]?.isEmpty == true { scopes = scopes.filter(allowed.contains) }
            guard !scopes.isEmpty, scopes.allSatisfy({ allowed.contains($0) || Scopes.identity.contains($0) }) else {
                throw .invalidScope("this client may ask only for \(allowed.sorted().joined(separator: " "))")
            }
        }
        if let nonce = params["nonce"], nonce.utf8.count > 512 { throw .invalidRequest("nonce is longer than 512 bytes") }
        return Request(
            client: client, redirectURI: redirectURI, state: params["state"], scopes: scopes, resource: resource, codeChallenge: challenge,
            nonce: params["nonce"])
    }

    /// The scopes a client registered with (`scope` in its metadata), if it limited them.
    static func allowedScopes(of client: OAuthClientRecord) -> Set<String>? {
        guard case .object(let metadata)? = try? JSONValue(parsing: client.metadata), let scope = metadata["scope"]?.stringValue else { return nil }
        let scopes = Set(Scopes.parse(scope))
        return scopes.isEmpty ? nil : scopes
    }

    func checkedResource(_ resource: String?) throws(OAuthError) -> String {
        guard let resource, !resource.isEmpty else { throw .invalidTarget("resource is missing: name the MCP endpoint's URL (RFC 8707)") }
        guard settings.resources.contains(resource) else { throw .invalidTarget("resource is not an MCP endpoint of this Pier") }
        return resource
    }

    /// The requested scopes, all offered; none asked means both of the tools' scopes.
    func checkedScopes(_ scopes: [String]) throws(OAuthError) -> [String] {
        guard !scopes.isEmpty else { return Scopes.supported }
        let offered = settings.offeredScopes
        for scope in scopes where !offered.contains(scope) {
            throw .invalidScope("scope \(scope) is not offered; the scopes are \(offered.joined(separator: " "))")
        }
        return scopes
    }

    /// A code for `request`, granted by `subject`.
    public func issueCode(_ request: Request, subject: String) async throws(OAuthError) -> String {
        let code = "pier_code_" + Base64URL.random(bytes: 32)
        let record = AuthorizationCodeRecord(
            codeHash: SecretHash(of: code), clientID: request.client.id, subject: subject, redirectURI: request.redirectURI, scopes: request.scopes,
            resource: request.resource, codeChallenge: request.codeChallenge, expiresAt: Timestamp.now().adding(settings.codeLifetime))
        try await storeCall { try await self.store.saveCode(record) }
        if let nonce = request.nonce {
            _ = try await storeCall {
                try await self.store.compareAndSet(
                    namespace: Self.nonces, key: record.codeHash.hex, expectedVersion: nil, value: Array(nonce.utf8), ttl: self.settings.codeLifetime)
            }
        }
        await audit("oauth.authorize", subject: subject, client: request.client.id, status: "ok", detail: "scopes \(request.scopes.joined(separator: " "))")
        return code
    }

    // MARK: token

    /// The token endpoint: `form` is the request's fields; `basic` the client credentials of an
    /// `Authorization: Basic` header. Returns the RFC 6749 token response.
    public func token(_ form: [String: String], basic: (id: String, secret: String)?) async throws(OAuthError) -> JSONObject {
        let client = try await authenticate(form, basic: basic)
        let outcome: Result<JSONObject, OAuthError>
        do throws(OAuthError) {
            switch form["grant_type"] ?? "" {
            case "authorization_code": outcome = .success(try await exchange(form, client: client))
            case "refresh_token": outcome = .success(try await refresh(form, client: client))
            case let other: throw OAuthError.unsupportedGrantType(other)
            }
        } catch {
            outcome = .failure(error)
        }
        if case .failure(let error) = outcome {
            await audit("oauth.token", subject: nil, client: client.id, status: "refused", detail: "\(error.code): \(error.description)")
        }
        return try outcome.get()
    }

    /// The client of a token or revocation request, authenticated as it registered.
    func authenticate(_ form: [String: String], basic: (id: String, secret: String)?) async throws(OAuthError) -> OAuthClientRecord {
        if let basic, let named = form["client_id"], named != basic.id { throw .invalidRequest("client_id differs from the Basic credentials") }
        guard let id = basic?.id ?? form["client_id"], !id.isEmpty else { throw .invalidClient("client authentication is missing (client_id)") }
        if ClientMetadataDocument.isDocumentURL(id), let resolver = metadataClients {
            return try await authenticateDocumentClient(id, form: form, basic: basic != nil, resolver: resolver)
        }
        if form["client_assertion"] != nil || form["client_assertion_type"] != nil {
            throw .invalidClient("client assertions (private_key_jwt) are accepted from metadata-document clients only")
        }
        let client = try await lookUp(id)
        let secret = basic?.secret ?? form["client_secret"]
        if let expected = client.secretHash {
            guard let secret, ConstantTime.equal(SecretHash(of: secret).hex, expected.hex) else {
                await audit("oauth.token", subject: nil, client: id, status: "refused", detail: "invalid_client: wrong or missing client secret")
                throw .invalidClient("the client secret is wrong or missing")
            }
        } else if secret != nil {
            throw .invalidClient("this is a public client: it has no secret to send")
        }
        return client
    }

    func exchange(_ form: [String: String], client: OAuthClientRecord) async throws(OAuthError) -> JSONObject {
        guard let code = form["code"], !code.isEmpty else { throw .invalidRequest("code is missing") }
        guard let verifier = form["code_verifier"] else { throw .invalidRequest("code_verifier is missing: PKCE is required") }
        let hash = SecretHash(of: code)
        let now = Timestamp.now()
        guard let grant = try await storeCall({ try await self.store.consumeCode(hash, now: now) }) else {
            // A code used twice: what the first use issued is revoked too (RFC 6749 §4.1.2).
            if let used = try? await store.get(namespace: Self.usedCodes, key: hash.hex), let family = String(validating: used.value, as: UTF8.self) {
                try? await revokeFamily(family)
                throw .invalidGrant("the code was used already; the tokens it gave are revoked")
            }
            throw .invalidGrant("the code is unknown or expired")
        }
        guard grant.clientID == client.id else { throw .invalidGrant("the code was issued to another client") }
        guard form["redirect_uri"] == nil || form["redirect_uri"] == grant.redirectURI else { throw .invalidGrant("redirect_uri differs from the authorization request's") }
        guard PKCE.verify(verifier: verifier, challenge: grant.codeChallenge) else { throw .invalidGrant("the code_verifier does not match the code_challenge") }
        if let resource = form["resource"], resource != grant.resource { throw .invalidTarget("resource differs from the authorization request's") }
        let family = "fam_" + Base64URL.random(bytes: 16)
        _ = try? await store.compareAndSet(
            namespace: Self.usedCodes, key: hash.hex, expectedVersion: nil, value: Array(family.utf8), ttl: settings.refreshTokenLifetime)
        let nonce = try? await store.get(namespace: Self.nonces, key: hash.hex).flatMap { String(validating: $0.value, as: UTF8.self) }
        let response = try await issue(client: client, subject: grant.subject, scopes: grant.scopes, resource: grant.resource ?? "", family: family, nonce: nonce)
        await audit("oauth.token", subject: grant.subject, client: client.id, status: "ok", detail: "authorization_code for \(grant.resource ?? "")")
        return response
    }

    func refresh(_ form: [String: String], client: OAuthClientRecord) async throws(OAuthError) -> JSONObject {
        guard let presented = form["refresh_token"], !presented.isEmpty else { throw .invalidRequest("refresh_token is missing") }
        let hash = SecretHash(of: presented)
        guard let old = try await storeCall({ try await self.store.token(hash) }), old.kind == .refresh else {
            throw .invalidGrant("the refresh token is unknown")
        }
        guard old.clientID == client.id else { throw .invalidGrant("the refresh token was issued to another client") }
        guard !old.revoked else {
            // Replay of a rotated (or revoked) refresh token: someone else may hold the family; end it.
            try? await revokeFamily(old.familyID)
            await audit("oauth.refresh", subject: old.subject, client: client.id, status: "refused", detail: "replayed refresh token: its family is revoked")
            throw .invalidGrant("the refresh token was used already; every token of its grant is revoked")
        }
        guard old.expiresAt > .now() else { throw .invalidGrant("the refresh token has expired") }
        if let resource = form["resource"], resource != old.resource { throw .invalidTarget("resource differs from the grant's") }
        var scopes = old.scopes
        let asked = Scopes.parse(form["scope"])
        if !asked.isEmpty {
            guard asked.allSatisfy(old.scopes.contains) else { throw .invalidScope("a refresh may narrow the scopes, not widen them") }
            scopes = asked
        }
        let refresh = "pier_rt_" + Base64URL.random(bytes: 32)
        let replacement = TokenRecord(
            tokenHash: SecretHash(of: refresh), kind: .refresh, clientID: client.id, subject: old.subject, scopes: old.scopes, resource: old.resource,
            familyID: old.familyID, expiresAt: Timestamp.now().adding(settings.refreshTokenLifetime))
        guard try await storeCall({ try await self.store.rotateRefreshToken(hash, replacement: replacement, now: .now()) }) else {
            try? await revokeFamily(old.familyID)
            throw .invalidGrant("the refresh token was used already; every token of its grant is revoked")
        }
        let response = try await issue(
            client: client, subject: old.subject, scopes: scopes, resource: old.resource ?? "", family: old.familyID, refreshToken: refresh)
        await audit("oauth.refresh", subject: old.subject, client: client.id, status: "ok", detail: nil)
        return response
    }

    /// Saves a new access token (and a refresh token, unless `refreshToken` was made already) and answers them.
    func issue(
        client: OAuthClientRecord, subject: String, scopes: [String], resource: String, family: String, refreshToken: String? = nil, nonce: String? = nil
    ) async throws(OAuthError) -> JSONObject {
        let access = "pier_at_" + Base64URL.random(bytes: 32)
        let now = Timestamp.now()
        let accessRecord = TokenRecord(
            tokenHash: SecretHash(of: access), kind: .access, clientID: client.id, subject: subject, scopes: scopes, resource: resource, familyID: family,
            expiresAt: now.adding(settings.accessTokenLifetime))
        try await storeCall { try await self.store.saveToken(accessRecord) }
        var refresh = refreshToken
        if refresh == nil {
            let made = "pier_rt_" + Base64URL.random(bytes: 32)
            let refreshRecord = TokenRecord(
                tokenHash: SecretHash(of: made), kind: .refresh, clientID: client.id, subject: subject, scopes: scopes, resource: resource, familyID: family,
                expiresAt: now.adding(settings.refreshTokenLifetime))
            try await storeCall { try await self.store.saveToken(refreshRecord) }
            refresh = made
        }
        var response: JSONObject = [
            "access_token": .string(access), "token_type": "Bearer", "expires_in": .int(Int(settings.accessTokenLifetime.components.seconds)),
            "refresh_token": .string(refresh ?? ""), "scope": .string(scopes.joined(separator: " ")),
        ]
        if scopes.contains("openid") {
            response["id_token"] = .string(try await idToken(client: client, subject: subject, scopes: scopes, nonce: nonce))
        }
        return response
    }

    // MARK: revoke and validate

    /// RFC 7009: revokes the token's whole grant. An unknown token is not an error (the response is the same).
    public func revoke(_ form: [String: String], basic: (id: String, secret: String)?) async throws(OAuthError) {
        let client = try await authenticate(form, basic: basic)
        guard let token = form["token"], !token.isEmpty else { throw .invalidRequest("token is missing") }
        guard let record = try await storeCall({ try await self.store.token(SecretHash(of: token)) }), record.clientID == client.id else { return }
        try await revokeFamily(record.familyID, strict: true)
        await audit("oauth.revoke", subject: record.subject, client: client.id, status: "ok", detail: nil)
    }

    /// The live access token `token` for `resource`: unexpired, unrevoked, and issued for exactly that resource.
    /// Validated tokens are kept for a second (``TokenCache``), so a revocation on another instance takes effect
    /// within that.
    public func verify(_ token: String, resource: String) async throws(OAuthError) -> VerifiedToken? {
        guard token.hasPrefix("pier_at_"), token.utf8.count < 200 else { return nil }
        let digest = TokenCache.digest(token)
        switch cache.lookup(digest) {
        case .fresh(let cached):
            guard cached.resource == resource, cached.expiresAt > .now() else { return nil }
            return cached.verified
        case .renew, .miss:
            let found: TokenRecord?
            do {
                found = try await storeCall({ try await self.store.token(SecretHash(digest: digest)) })
            } catch {
                cache.abandonRenewal(digest)
                throw error
            }
            guard let record = found, record.kind == .access, !record.revoked else {
                cache.drop(digest)
                return nil
            }
            cache.keep(record, digest: digest)
            guard record.expiresAt > .now(), record.resource == resource else { return nil }
            return VerifiedToken(subject: record.subject, scopes: Set(record.scopes), clientID: record.clientID)
        }
    }

    /// Drops every cached token of `family`, so that a revocation made in the store directly (the dashboard)
    /// takes effect here at once, not after the cache's second.
    public func forgetCached(family: String) { cache.drop(family: family) }

    /// Revokes every token of `family`, here at once and in the store; `strict` reports a store failure.
    func revokeFamily(_ family: String, strict: Bool = false) async throws(OAuthError) {
        cache.drop(family: family)
        // Dropped again once the store has it: a request checked during the write may have cached the token anew.
        defer { cache.drop(family: family) }
        if strict {
            _ = try await storeCall { try await self.store.revokeFamily(family) }
        } else {
            _ = try? await store.revokeFamily(family)
        }
    }

    /// A metadata-document client at the token endpoint: with `private_key_jwt` when it sends an assertion
    /// (checked against its keys, its `jti` used once across every instance), else as a public client — each
    /// only when its document and Pier both allow that method.
    func authenticateDocumentClient(_ id: String, form: [String: String], basic: Bool, resolver: ClientMetadataResolver) async throws(OAuthError) -> OAuthClientRecord {
        let document = try await resolver.document(for: id)
        guard !basic, form["client_secret"] == nil else { throw .invalidClient("a metadata-document client has no secret to send") }
        guard let assertion = form["client_assertion"] else {
            guard form["client_assertion_type"] == nil else { throw .invalidClient("client_assertion is missing") }
            guard document.authMethods.contains("none") else {
                await audit("oauth.token", subject: nil, client: id, status: "refused", detail: "invalid_client: no client assertion")
                throw .invalidClient("this client must authenticate with private_key_jwt")
            }
            return document.record
        }
        guard form["client_assertion_type"] == ClientAssertion.type else { throw .invalidClient("client_assertion_type must be \(ClientAssertion.type)") }
        guard document.authMethods.contains("private_key_jwt") else { throw .invalidClient("this client's metadata document does not allow private_key_jwt") }
        let audiences: Set<String> = [tokenEndpoint, settings.issuer]
        let checked: ClientAssertion.Checked
        do throws(OAuthError) {
            do throws(OAuthError) {
                checked = try await ClientAssertion.verify(assertion, clientID: id, audiences: audiences, jwks: try await resolver.keys(of: document))
            } catch where error == ClientAssertion.badSignature && document.jwksURI != nil {
                // The client may have rotated its keys since they were cached: fetch them once more.
                checked = try await ClientAssertion.verify(assertion, clientID: id, audiences: audiences, jwks: try await resolver.keys(of: document, fresh: true))
            }
        } catch {
            await audit("oauth.token", subject: nil, client: id, status: "refused", detail: "invalid_client: \(error.description)")
            throw error
        }
        let key = SecretHash(of: id + " " + checked.jti).hex
        let lifetime = Duration.milliseconds(max(1_000, checked.expiresAt.milliseconds - Timestamp.now().milliseconds + 60_000))
        let marked = try await storeCall {
            try await self.store.compareAndSet(namespace: Self.usedAssertions, key: key, expectedVersion: nil, value: [1], ttl: lifetime)
        }
        guard case .written = marked else {
            await audit("oauth.token", subject: nil, client: id, status: "refused", detail: "invalid_client: replayed client assertion jti")
            throw .invalidClient("the client assertion was used already (its jti is single use)")
        }
        return document.record
    }

    // MARK: helpers

    func lookUp(_ id: String) async throws(OAuthError) -> OAuthClientRecord {
        if ClientMetadataDocument.isDocumentURL(id), let resolver = metadataClients {
            return try await resolver.document(for: id).record
        }
        guard let client = try await storeCall({ try await self.store.client(id: id) }) else { throw .invalidClient("client_id is not registered here") }
        return client
    }

    public func storeCall<T: Sendable>(_ body: @Sendable () async throws -> T) async throws(OAuthError) -> T {
        do {
            return try await body()
        } catch {
            throw .temporarilyUnavailable("the authorization store cannot be reached now")
        }
    }

    /// An authorization event in the activity log (never a code, token or secret).
    public func audit(_ action: String, subject: String?, client: String, status: String, detail: String?) async {
        // action and status come from a fixed set (oauth.token, refused, …): bounded labels.
        Counter(label: "pier_oauth_events_total", dimensions: [("event", action), ("outcome", status)]).increment()
        let event = ActivityEvent(
            at: .now(), server: "", tool: action, durationMilliseconds: 0, status: status, subject: subject, kind: ActivityEvent.auth,
            detail: ["client \(client)", detail].compactMap { $0 }.joined(separator: "; "))
        _ = try? await store.append([event])
    }
}
