import Crypto
import JWTKit
import MCPCore
import PierStore
import PierSync
import Testing

@testable import PierAuth

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
