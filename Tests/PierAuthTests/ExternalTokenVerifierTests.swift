import Crypto
import JWTKit
import MCPCore
import PierStore
import PierSync
import Testing

@testable import PierAuth

@Suite struct ExternalTokenVerifierTests {
    struct AccessClaims: JWTPayload {
        var iss: String
        var sub: String
        var aud: String
        var exp: Double
        var scope: String
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    let issuer = "https://idp.example"
    let resource = "https://pier.example/mcp"

    func token(_ key: TestClientKey, aud: String? = nil, iss: String? = nil) async throws -> String {
        try await key.keys.sign(
            AccessClaims(iss: iss ?? issuer, sub: "grace", aud: aud ?? resource, exp: Double(Timestamp.now().milliseconds) / 1000 + 60, scope: "mcp:read"))
    }

    @Test func providersTokensAreCheckedAndADownProviderIsNotHammered() async throws {
        let key = try await TestClientKey(kid: "k1")
        let jwksURL = issuer + "/keys"
        let fetcher = FixedFetcher([:])
        let verifier = ExternalTokenVerifier(settings: .init(issuer: issuer, jwksURL: jwksURL), fetcher: fetcher)
        let good = try await token(key)
        // The provider is down: unavailable, and the next request within 5 s does not fetch again.
        for _ in 0..<3 { await #expect(throws: OAuthError.self) { try await verifier.verify(good, resource: resource) } }
        #expect(fetcher.fetches.withLock { $0 } == 1)
        // Up again (a fresh verifier, as after the retry interval).
        fetcher.set(jwksURL, FetchedDocument(body: Array(key.jwks.utf8), maxAge: nil))
        let fresh = ExternalTokenVerifier(settings: .init(issuer: issuer, jwksURL: jwksURL), fetcher: fetcher)
        let verified = try await fresh.verify(good, resource: resource)
        #expect(verified?.subject == "grace" && verified?.scopes == [Scopes.read])
        #expect(try await fresh.verify(try await token(key, aud: "https://pier.example/connectors/readonly/mcp"), resource: resource) == nil)
        #expect(try await fresh.verify(try await token(key, iss: "https://evil.example"), resource: resource) == nil)
        #expect(try await fresh.verify(try await token(try await TestClientKey(kid: "k1")), resource: resource) == nil, "another key, same kid")
    }
}
