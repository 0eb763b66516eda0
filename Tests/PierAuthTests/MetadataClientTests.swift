import JWTKit
import MCPCore
import PierStore
import PierSync
import Testing

@testable import PierAuth

@Suite struct AddressPolicyTests {
    let policy = AddressPolicy()

    @Test(arguments: ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "[2a00:1450:4001:82a::200e]"])
    func publicAddressesPass(address: String) throws {
        let bytes = try #require(AddressPolicy.literal(address))
        #expect(policy.refusal(bytes) == nil)
    }

    @Test(arguments: [
        "127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
        "224.0.0.1", "255.255.255.255", "198.18.0.1", "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1", "::ffff:127.0.0.1",
        "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::1", "2001:db8::1", "[::ffff:10.0.0.1]",
    ])
    func internalAddressesAreRefused(address: String) throws {
        let bytes = try #require(AddressPolicy.literal(address))
        #expect(policy.refusal(bytes) != nil)
    }

    @Test func theTestSwitchAllowsLoopbackOnly() throws {
        let open = AddressPolicy(allowsLoopback: true)
        #expect(open.refusal(try #require(AddressPolicy.literal("127.0.0.1"))) == nil)
        #expect(open.refusal(try #require(AddressPolicy.literal("::1"))) == nil)
        #expect(open.refusal(try #require(AddressPolicy.literal("10.0.0.1"))) != nil)
        #expect(open.refusal(try #require(AddressPolicy.literal("169.254.169.254"))) != nil)
    }

    @Test(arguments: ["example.com", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1:2:3", "fe80::1%eth0", ":::", "1::2::3"])
    func namesAndBrokenLiteralsAreNotAddresses(text: String) {
        #expect(AddressPolicy.literal(text) == nil)
    }
}

@Suite struct ClientMetadataDocumentTests {
    let url = "https://client.example/oauth/client.json"

    func document(_ fields: JSONObject) -> [UInt8] { JSONValue.object(fields).serialized() }

    var good: JSONObject {
        ["client_id": .string(url), "client_name": "Example", "redirect_uris": ["https://client.example/cb"]]
    }

    @Test func aGoodDocumentIsAPublicClient() throws {
        let parsed = try ClientMetadataDocument.parse(document(good), url: url)
        #expect(parsed.name == "Example" && parsed.redirectURIs == ["https://client.example/cb"] && parsed.authMethods == ["none"])
        #expect(parsed.record.id == url && parsed.record.secretHash == nil)
    }

    @Test func chatGPTsDocumentAllowsBothMethods() throws {
        var fields = good
        fields["token_endpoint_auth_methods_supported"] = ["none", "private_key_jwt"]
        fields["token_endpoint_auth_method"] = "private_key_jwt"
        fields["jwks_uri"] = "https://client.example/oauth/jwks.json"
        let parsed = try ClientMetadataDocument.parse(document(fields), url: url)
        #expect(parsed.authMethods == ["none", "private_key_jwt"] && parsed.jwksURI == "https://client.example/oauth/jwks.json")
    }

    @Test func documentsThatLieAreRefused() {
        var otherID = good
        otherID["client_id"] = "https://evil.example/client.json"
        var noName = good
        noName["client_name"] = nil
        var badRedirect = good
        badRedirect["redirect_uris"] = ["javascript:alert(1)"]
        var secret = good
        secret["client_secret"] = "x"
        var keyless = good
        keyless["token_endpoint_auth_method"] = "private_key_jwt"
        var secretMethod = good
        secretMethod["token_endpoint_auth_method"] = "client_secret_basic"
        for fields in [otherID, noName, badRedirect, secret, keyless, secretMethod] {
            #expect(throws: OAuthError.self) { try ClientMetadataDocument.parse(document(fields), url: url) }
        }
        var big = good
        big["client_uri"] = .string("https://client.example/" + String(repeating: "a", count: 6_000))
        #expect(throws: OAuthError.self) { try ClientMetadataDocument.parse(document(big), url: url) }
        #expect(throws: OAuthError.self) { try ClientMetadataDocument.parse(Array("not json".utf8), url: url) }
    }

    @Test(arguments: [
        "http://client.example/client.json", "https://client.example", "https://client.example/", "https://u@client.example/c.json",
        "https://client.example/a/../c.json", "https://client.example/c.json#x", "https://client.example:99999/c.json",
    ])
    func badClientIDURLsAreRefused(id: String) {
        #expect(!ClientMetadataDocument.isDocumentURL(id))
    }

    @Test func urlPartsAreRead() throws {
        let parts = try ClientMetadataDocument.checkedURL("https://[::1]:8443/c.json?x=1")
        #expect(parts.host == "[::1]" && parts.port == 8443 && parts.path == "/c.json?x=1")
        #expect(try ClientMetadataDocument.checkedURL("https://Client.Example/c").host == "client.example")
    }
}

/// A fetcher that serves fixed documents and counts fetches.
final class FixedFetcher: MetadataFetcher {
    let documents: Locked<[String: FetchedDocument]>
    let fetches = Locked(0)

    init(_ documents: [String: FetchedDocument]) { self.documents = Locked(documents) }

    func set(_ url: String, _ document: FetchedDocument) { documents.withLock { $0[url] = document } }

    func fetch(_ url: String, limit: Int) async throws(OAuthError) -> FetchedDocument {
        fetches.withLock { $0 += 1 }
        guard let found = documents.withLock({ $0[url] }) else { throw .invalidClient("not found") }
        return found
    }
}

@Suite struct ClientMetadataResolverTests {
    let url = "https://client.example/client.json"

    func body(name: String) -> [UInt8] {
        JSONValue.object(["client_id": .string(url), "client_name": .string(name), "redirect_uris": ["https://client.example/cb"]]).serialized()
    }

    @Test func documentsAreCachedAsTheirServerSaysAtMostADay() async throws {
        let fetcher = FixedFetcher([url: FetchedDocument(body: body(name: "One"), maxAge: .seconds(10))])
        let resolver = ClientMetadataResolver(fetcher: fetcher)
        let start = ContinuousClock.now
        #expect(try await resolver.document(for: url, now: start).name == "One")
        fetcher.set(url, FetchedDocument(body: body(name: "Two"), maxAge: .seconds(10)))
        #expect(try await resolver.document(for: url, now: start + .seconds(5)).name == "One")
        #expect(try await resolver.document(for: url, now: start + .seconds(11)).name == "Two")
        #expect(fetcher.fetches.withLock { $0 } == 2)
        #expect(ClientMetadataResolver.lifetime(.seconds(10 * 86_400)) == .seconds(86_400))
        #expect(ClientMetadataResolver.lifetime(nil) == .seconds(300))
    }

    @Test func noStoreIsFetchedEveryTime() async throws {
        let fetcher = FixedFetcher([url: FetchedDocument(body: body(name: "One"), maxAge: .zero)])
        let resolver = ClientMetadataResolver(fetcher: fetcher)
        _ = try await resolver.document(for: url)
        _ = try await resolver.document(for: url)
        #expect(fetcher.fetches.withLock { $0 } == 2)
    }

    @Test func theHostAllowlistRefusesBeforeFetching() async {
        let fetcher = FixedFetcher([url: FetchedDocument(body: body(name: "One"), maxAge: nil)])
        let resolver = ClientMetadataResolver(fetcher: fetcher, hosts: ["chatgpt.com"])
        await #expect(throws: OAuthError.self) { try await resolver.document(for: url) }
        #expect(fetcher.fetches.withLock { $0 } == 0)
    }
}

/// An ES256 key pair as a test client holds it, with its public JWKS.
struct TestClientKey {
    let keys = JWTKeyCollection()
    let jwks: String

    init(kid: String) async throws {
        let key = ES256PrivateKey()
        await keys.add(ecdsa: key, kid: JWKIdentifier(string: kid))
        let x = try #require(key.publicKey.parameters?.x), y = try #require(key.publicKey.parameters?.y)
        jwks = JSONValue.object(["keys": [["kty": "EC", "crv": "P-256", "kid": .string(kid), "x": .string(x), "y": .string(y), "use": "sig"]]]).serializedString()
    }

    struct Claims: JWTPayload {
        var iss: String
        var sub: String
        var aud: String
        var exp: Double
        var jti: String
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    func assertion(client: String, aud: String, exp: Double = Double(Timestamp.now().milliseconds) / 1000 + 60, jti: String = Base64URL.random(bytes: 8)) async throws -> String {
        try await keys.sign(Claims(iss: client, sub: client, aud: aud, exp: exp, jti: jti))
    }
}

@Suite struct ClientAssertionTests {
    let client = "https://client.example/client.json"
    let token = "https://pier.example/auth/token"

    @Test func aGoodAssertionPasses() async throws {
        let key = try await TestClientKey(kid: "k1")
        let checked = try await ClientAssertion.verify(try await key.assertion(client: client, aud: token, jti: "j1"), clientID: client, audiences: [token], jwks: key.jwks)
        #expect(checked.jti == "j1")
    }

    @Test func wrongKeyAudienceIssuerOrTimeAreRefused() async throws {
        let key = try await TestClientKey(kid: "k1")
        let other = try await TestClientKey(kid: "k1")
        let now = Double(Timestamp.now().milliseconds) / 1000
        let cases: [(String, OAuthError?)] = [
            (try await other.assertion(client: client, aud: token), ClientAssertion.badSignature),
            (try await key.assertion(client: client, aud: "https://elsewhere.example/token"), nil),
            (try await key.assertion(client: "https://evil.example/c.json", aud: token), nil),
            (try await key.assertion(client: client, aud: token, exp: now - 120), nil),
            (try await key.assertion(client: client, aud: token, exp: now + 7_200), nil),
        ]
        for (assertion, expected) in cases {
            do {
                _ = try await ClientAssertion.verify(assertion, clientID: client, audiences: [token], jwks: key.jwks)
                Issue.record("accepted a bad assertion")
            } catch {
                #expect(error.code == "invalid_client")
                if let expected { #expect(error == expected) }
            }
        }
    }

    @Test func unsignedAndSymmetricAssertionsAreRefused() async throws {
        let key = try await TestClientKey(kid: "k1")
        let none = Base64URL.encode(Array(#"{"alg":"none"}"#.utf8)) + "." + Base64URL.encode(Array(#"{"iss":"x"}"#.utf8)) + "."
        let hmac = Base64URL.encode(Array(#"{"alg":"HS256"}"#.utf8)) + "." + Base64URL.encode(Array(#"{"iss":"x"}"#.utf8)) + ".c2ln"
        for assertion in [none, hmac, "not-a-jwt"] {
            await #expect(throws: OAuthError.self) { try await ClientAssertion.verify(assertion, clientID: client, audiences: [token], jwks: key.jwks) }
        }
    }
}

@Suite struct MetadataClientServiceTests {
    let url = "https://client.example/client.json"
    let resource = "https://pier.example/mcp"

    func service(methods: JSONValue, jwks: String?) throws -> AuthorizationService {
        var fields: JSONObject = [
            "client_id": .string(url), "client_name": "Example", "redirect_uris": ["https://client.example/cb"], "token_endpoint_auth_methods_supported": methods,
        ]
        if let jwks { fields["jwks"] = try JSONValue(parsing: Array(jwks.utf8)) }
        let fetcher = FixedFetcher([url: FetchedDocument(body: JSONValue.object(fields).serialized(), maxAge: nil)])
        return AuthorizationService(
            settings: .init(issuer: "https://pier.example", resources: [resource]), store: MemoryStore(),
            metadataClients: ClientMetadataResolver(fetcher: fetcher))
    }

    @Test func privateKeyJWTIsCheckedAndItsJTIIsSingleUse() async throws {
        let key = try await TestClientKey(kid: "k1")
        let service = try service(methods: ["private_key_jwt"], jwks: key.jwks)
        let assertion = try await key.assertion(client: url, aud: "https://pier.example/auth/token")
        let form = ["client_id": url, "client_assertion_type": ClientAssertion.type, "client_assertion": assertion]
        #expect(try await service.authenticate(form, basic: nil).id == url)
        await #expect(throws: OAuthError.invalidClient("the client assertion was used already (its jti is single use)")) {
            try await service.authenticate(form, basic: nil)
        }
        // Without an assertion, a client whose document names private_key_jwt only is refused.
        await #expect(throws: OAuthError.self) { try await service.authenticate(["client_id": url], basic: nil) }
    }

    @Test func aPublicDocumentClientNeedsNoAssertionButMayNotSendOne() async throws {
        let service = try service(methods: ["none"], jwks: nil)
        #expect(try await service.authenticate(["client_id": url], basic: nil).id == url)
        let key = try await TestClientKey(kid: "k1")
        let form = ["client_id": url, "client_assertion_type": ClientAssertion.type, "client_assertion": try await key.assertion(client: url, aud: "https://pier.example")]
        await #expect(throws: OAuthError.self) { try await service.authenticate(form, basic: nil) }
        await #expect(throws: OAuthError.self) { try await service.authenticate(["client_id": url, "client_secret": "x"], basic: nil) }
    }

    @Test func registeredClientsCannotSendAssertions() async throws {
        let service = try service(methods: ["none"], jwks: nil)
        await #expect(throws: OAuthError.self) {
            try await service.authenticate(["client_id": "pier_client_x", "client_assertion": "a.b.c", "client_assertion_type": ClientAssertion.type], basic: nil)
        }
    }
}
