import Crypto
import JWTKit
import MCPCore
import PierStore
import Testing

@testable import PierAuth

@Suite struct SigningKeysTests {
    struct Claims: JWTPayload {
        var sub: String
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    func kids(_ jwks: JSONValue) -> [String] {
        guard case .object(let set) = jwks, case .array(let keys)? = set["keys"] else { return [] }
        return keys.compactMap { if case .object(let key) = $0 { key["kid"]?.stringValue } else { nil } }
    }

    @Test func instancesOnOneStoreShareTheFirstKey() async throws {
        let store = MemoryStore()
        let one = SigningKeys(store: store), two = SigningKeys(store: store)
        async let a = one.jwks()
        async let b = two.jwks()
        let (first, second) = try await (a, b)
        #expect(kids(first).count == 1 && kids(first) == kids(second))
    }

    @Test func rotationKeepsThreeAndSignsWithTheNewest() async throws {
        let keys = SigningKeys(store: MemoryStore())
        let original = kids(try await keys.jwks())
        var made: [String] = []
        for _ in 0..<3 { made.append(try await keys.rotate()) }
        let published = kids(try await keys.jwks())
        #expect(published == made.reversed() && !published.contains(original[0]))
        let token = try await keys.sign(Claims(sub: "ada"))
        #expect(CompactJWS.header(token)?["kid"]?.stringValue == made.last && CompactJWS.header(token)?["alg"]?.stringValue == "ES256")
        let verifier = JWTKeyCollection()
        try await verifier.add(jwksJSON: try await keys.jwks().serializedString())
        #expect(try await verifier.verify(token, as: Claims.self).sub == "ada")
    }
}

@Suite struct TokenCacheTests {
    func record() -> TokenRecord {
        TokenRecord(
            tokenHash: SecretHash(of: "t"), kind: .access, clientID: "c", subject: "ada", scopes: ["mcp:read"], resource: "r", familyID: "f",
            expiresAt: Timestamp.now().adding(.seconds(60)))
    }

    @Test func oneRequestRenewsAnExpiredEntryWhileTheOthersUseIt() {
        let cache = TokenCache(lifetime: .seconds(1))
        let digest = SHA256.hash(data: Array("t".utf8))
        let start = ContinuousClock.now
        cache.keep(record(), digest: digest, now: start)
        guard case .fresh = cache.lookup(digest, now: start + .milliseconds(500)) else { Issue.record("not fresh"); return }
        guard case .renew = cache.lookup(digest, now: start + .milliseconds(1_100)) else { Issue.record("no renewal"); return }
        guard case .fresh = cache.lookup(digest, now: start + .milliseconds(1_200)) else { Issue.record("a second renewal"); return }
        guard case .miss = cache.lookup(digest, now: start + .milliseconds(2_100)) else { Issue.record("kept too long"); return }
        cache.keep(record(), digest: digest, now: start)
        cache.drop(family: "f")
        guard case .miss = cache.lookup(digest, now: start) else { Issue.record("revoked family kept"); return }
    }
}

@Suite struct BearerTokenTests {
    @Test func theTokenOfABearerHeader() {
        #expect(BearerToken.from("Bearer pier_at_x") == "pier_at_x")
        #expect(BearerToken.from("  bEaReR \t pier_at_x \t") == "pier_at_x")
        #expect(BearerToken.from("Bearer") == nil && BearerToken.from("Bearer   ") == nil && BearerToken.from("Bearerx y") == nil)
        #expect(BearerToken.from("Basic YTpi") == nil && BearerToken.from(nil) == nil && BearerToken.from("Béarer x") == nil)
    }
}

@Suite struct TokenDigestTests {
    @Test func theDigestIsTheTokensSHA256() {
        var token = "pier_at_" + String(repeating: "a", count: 43)
        token.makeContiguousUTF8()
        #expect(SecretHash(digest: TokenCache.digest(token)) == SecretHash(of: token))
        #expect(SecretHash(digest: TokenCache.digest("pier_at_é")) == SecretHash(of: "pier_at_é"))
    }
}

@Suite struct ScopePolicyTests {
    @Test func toolsPublishWhatTheyNeedAndTheCheckReadsItBack() {
        let policy = ScopePolicy(overrides: ["refund": "shop:admin"], optional: true)
        let read = policy.describe("lookup", ["name": "lookup"], readOnly: true)
        let write = policy.describe("buy", ["name": "buy"], readOnly: false)
        let special = policy.describe("refund", ["name": "refund", "_meta": ["ui": "x"]], readOnly: true)
        #expect(SecuritySchemes.requirement(of: read) == (scope: Scopes.read, anonymous: true))
        #expect(SecuritySchemes.requirement(of: write) == (scope: Scopes.write, anonymous: false))
        #expect(SecuritySchemes.requirement(of: special) == (scope: "shop:admin", anonymous: false))
        #expect(special["_meta"]?["securitySchemes"] == special["securitySchemes"] && special["_meta"]?["ui"] == "x")
        #expect(policy.extraScopes == ["shop:admin"])
        #expect(SecuritySchemes.requirement(of: ["name": "plain"]) == (scope: nil, anonymous: false))
    }

    @Test(arguments: ["mcp:read", "shop:admin", "a.b-c_d"]) func wellFormedScopes(scope: String) { #expect(ScopePolicy.isValidScope(scope)) }

    @Test(arguments: ["", "two words", "quote\"", "é", String(repeating: "a", count: 65)]) func malformedScopes(scope: String) {
        #expect(!ScopePolicy.isValidScope(scope))
    }
}
