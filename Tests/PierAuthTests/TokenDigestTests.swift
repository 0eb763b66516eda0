import Crypto
import JWTKit
import MCPCore
import PierStore
import PierSync
import Testing

@testable import PierAuth

@Suite struct TokenDigestTests {
    @Test func theDigestIsTheTokensSHA256() {
        var token = "pier_at_" + String(repeating: "a", count: 43)
        token.makeContiguousUTF8()
        #expect(SecretHash(digest: TokenCache.digest(token)) == SecretHash(of: token))
        #expect(SecretHash(digest: TokenCache.digest("pier_at_é")) == SecretHash(of: "pier_at_é"))
    }
}
