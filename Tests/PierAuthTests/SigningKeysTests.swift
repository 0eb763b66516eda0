import Crypto
import JWTKit
import MCPCore
import PierStore
import PierSync
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
