import MCPCore
import PierStore
import Testing

@testable import PierAuth

@Suite struct PKCETests {
    @Test func s256MatchesRFC7636sExample() {
        // RFC 7636 Appendix B.
        #expect(PKCE.challenge(for: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        #expect(PKCE.verify(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"))
        #expect(!PKCE.verify(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXK", challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"))
    }

    @Test func verifiersAndChallengesAreWellFormed() {
        #expect(!PKCE.isValidVerifier("short") && !PKCE.isValidVerifier(String(repeating: "a", count: 129)))
        #expect(!PKCE.isValidVerifier(String(repeating: "a", count: 42) + " "))
        #expect(PKCE.isValidChallenge("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM") && !PKCE.isValidChallenge("plain-verifier-used-as-challenge"))
    }
}

@Suite struct RedirectURITests {
    @Test(arguments: ["https://chatgpt.com/connector_platform_oauth_redirect", "http://127.0.0.1:5173/cb", "http://localhost/cb", "http://[::1]:8/x?a=b"])
    func safeRedirectsPass(uri: String) throws { try RedirectURI.check(uri) }

    @Test(arguments: [
        "javascript:alert(1)", "data:text/html,x", "http://evil.example/cb", "https://ok.example/cb#x", "https://u@ok.example/cb", "ftp://ok.example",
        "https://", "https://ok.example/a b", "http://127.0.0.1.evil.example/cb",
    ])
    func unsafeRedirectsFail(uri: String) {
        #expect(throws: OAuthError.self) { try RedirectURI.check(uri) }
    }

    @Test func consentShowsTheHost() {
        #expect(RedirectURI.displayHost("https://chatgpt.com/connector/oauth/abc") == "chatgpt.com")
    }
}

@Suite struct AuthorizationServiceTests {
    let resource = "https://pier.example/mcp"

    func service() -> (AuthorizationService, MemoryStore) {
        let store = MemoryStore()
        return (AuthorizationService(settings: .init(issuer: "https://pier.example", resources: [resource]), store: store), store)
    }

    func client(_ store: MemoryStore) async throws -> OAuthClientRecord {
        let registered = try ClientRegistration.register(["redirect_uris": ["https://app.example/cb"], "token_endpoint_auth_method": "none", "client_name": "App"])
        try await store.createClient(registered.client)
        #expect(registered.secret == nil && registered.response["client_id"]?.stringValue == registered.client.id)
        return registered.client
    }

    func params(_ client: OAuthClientRecord, challenge: String, extra: [String: String] = [:]) -> [String: String] {
        var p = ["client_id": client.id, "redirect_uri": "https://app.example/cb", "response_type": "code", "code_challenge": challenge, "code_challenge_method": "S256", "resource": resource]
        p.merge(extra) { $1 }
        return p
    }

    @Test func anExpiredAccessTokenIsRefusedEvenFromTheCache() async throws {
        let store = MemoryStore()
        var settings = AuthorizationService.Settings(issuer: "https://pier.example", resources: [resource])
        settings.accessTokenLifetime = .milliseconds(300)
        let service = AuthorizationService(settings: settings, store: store)
        let app = try await client(store)
        let verifier = String(repeating: "w", count: 50)
        let request = try service.request(params(app, challenge: PKCE.challenge(for: verifier)), client: app, redirectURI: "https://app.example/cb")
        let code = try await service.issueCode(request, subject: "ada")
        let granted = try await service.token(["grant_type": "authorization_code", "code": code, "code_verifier": verifier, "client_id": app.id], basic: nil)
        let access = try #require(granted["access_token"]?.stringValue)
        #expect(try await service.verify(access, resource: resource)?.subject == "ada")
        try await Task.sleep(for: .milliseconds(400))
        // Still in the 1-second cache, but past its expiry.
        #expect(try await service.verify(access, resource: resource) == nil)
        // A token with one character changed is unknown.
        #expect(try await service.verify(String(access.dropLast()) + (access.hasSuffix("A") ? "B" : "A"), resource: resource) == nil)
    }

    @Test func theWholeGrantAndItsRefusals() async throws {
        let (service, store) = service()
        let app = try await client(store)
        let verifier = String(repeating: "v", count: 50)
        let challenge = PKCE.challenge(for: verifier)
        let known = try await service.client(params(app, challenge: challenge))
        #expect(known.redirectURI == "https://app.example/cb")
        await #expect(throws: OAuthError.self) { try await service.client(params(app, challenge: challenge, extra: ["redirect_uri": "https://app.example/other"])) }
        #expect(throws: OAuthError.self) { try service.request(params(app, challenge: challenge, extra: ["code_challenge_method": "plain"]), client: app, redirectURI: known.redirectURI) }
        #expect(throws: OAuthError.self) { try service.request(params(app, challenge: challenge, extra: ["resource": "https://pier.example/other"]), client: app, redirectURI: known.redirectURI) }
        #expect(throws: OAuthError.self) { try service.request(params(app, challenge: challenge, extra: ["scope": "admin"]), client: app, redirectURI: known.redirectURI) }
        let request = try service.request(params(app, challenge: challenge, extra: ["scope": "mcp:read"]), client: app, redirectURI: known.redirectURI)
        let code = try await service.issueCode(request, subject: "ada")
        let granted = try await service.token(["grant_type": "authorization_code", "code": code, "code_verifier": verifier, "client_id": app.id], basic: nil)
        let access = try #require(granted["access_token"]?.stringValue)
        #expect(granted["scope"] == "mcp:read" && granted["token_type"] == "Bearer")
        let record = try #require(try await service.verify(access, resource: resource))
        #expect(record.subject == "ada" && record.scopes == ["mcp:read"])
        #expect(try await service.verify(access, resource: "https://pier.example/connectors/readonly/mcp") == nil)
        // The code again: refused, and what it gave is revoked.
        await #expect(throws: OAuthError.self) { try await service.token(["grant_type": "authorization_code", "code": code, "code_verifier": verifier, "client_id": app.id], basic: nil) }
        #expect(try await service.verify(access, resource: resource) == nil)
        await #expect(throws: OAuthError.unsupportedGrantType("password")) { try await service.token(["grant_type": "password", "client_id": app.id], basic: nil) }
        await #expect(throws: OAuthError.self) { try await service.token(["grant_type": "authorization_code", "client_id": app.id, "client_secret": "x"], basic: nil) }
    }

    @Test func refreshRotatesNarrowsAndRevokesTheFamilyOnReplay() async throws {
        let (service, store) = service()
        let app = try await client(store)
        let verifier = String(repeating: "w", count: 60)
        let request = try service.request(params(app, challenge: PKCE.challenge(for: verifier)), client: app, redirectURI: "https://app.example/cb")
        let code = try await service.issueCode(request, subject: "bob")
        let first = try await service.token(["grant_type": "authorization_code", "code": code, "code_verifier": verifier, "client_id": app.id], basic: nil)
        let refresh = try #require(first["refresh_token"]?.stringValue)
        await #expect(throws: OAuthError.self) { try await service.token(["grant_type": "refresh_token", "refresh_token": refresh, "client_id": app.id, "scope": "mcp:read mcp:admin"], basic: nil) }
        let second = try await service.token(["grant_type": "refresh_token", "refresh_token": refresh, "client_id": app.id, "scope": "mcp:read"], basic: nil)
        #expect(second["scope"] == "mcp:read" && second["refresh_token"] != first["refresh_token"])
        let access = try #require(second["access_token"]?.stringValue)
        #expect(try await service.verify(access, resource: resource) != nil)
        await #expect(throws: OAuthError.self) { try await service.token(["grant_type": "refresh_token", "refresh_token": refresh, "client_id": app.id], basic: nil) }
        #expect(try await service.verify(access, resource: resource) == nil, "the replay revoked the family")
        let events = try await store.recent(limit: 20, before: nil)
        #expect(events.contains { $0.kind == "auth" && $0.tool == "oauth.refresh" && $0.status == "refused" })
        #expect(!events.contains { ($0.detail ?? "").contains("pier_rt_") || ($0.detail ?? "").contains("pier_at_") }, "no token in the log")
    }

    @Test func confidentialClientsAuthenticate() async throws {
        let (service, store) = service()
        let registered = try ClientRegistration.register(["redirect_uris": ["https://app.example/cb"], "token_endpoint_auth_method": "client_secret_post"])
        try await store.createClient(registered.client)
        let secret = try #require(registered.secret)
        await #expect(throws: OAuthError.invalidClient("the client secret is wrong or missing")) {
            try await service.token(["grant_type": "refresh_token", "client_id": registered.client.id, "client_secret": "nope"], basic: nil)
        }
        await #expect(throws: OAuthError.invalidRequest("refresh_token is missing")) {
            try await service.token(["grant_type": "refresh_token"], basic: (registered.client.id, secret))
        }
    }

    @Test func scopes() {
        #expect(Scopes.parse("mcp:read  mcp:read mcp:write") == ["mcp:read", "mcp:write"])
        #expect(Scopes.allows(["mcp:write"], Scopes.read) && !Scopes.allows(["mcp:read"], Scopes.write))
    }
}
