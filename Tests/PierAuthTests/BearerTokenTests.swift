import Crypto
import JWTKit
import MCPCore
import PierStore
import PierSync
import Testing

@testable import PierAuth

@Suite struct BearerTokenTests {
    @Test func theTokenOfABearerHeader() {
        #expect(BearerToken.from("Bearer pier_at_x") == "pier_at_x")
        #expect(BearerToken.from("  bEaReR \t pier_at_x \t") == "pier_at_x")
        #expect(BearerToken.from("Bearer") == nil && BearerToken.from("Bearer   ") == nil && BearerToken.from("Bearerx y") == nil)
        #expect(BearerToken.from("Basic YTpi") == nil && BearerToken.from(nil) == nil && BearerToken.from("Béarer x") == nil)
    }
}
