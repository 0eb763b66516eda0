import Crypto
import JWTKit
public import MCPCore
public import PierStore

/// The authorization server's ES256 signing keys (for ID tokens), kept in the store so every instance signs with
/// the same current key and publishes the same set. The first key is made when one is first needed;
/// ``rotate()`` (`pier auth rotate-keys`) puts a new key first and keeps the previous ones for verification
/// (``kept`` in all) so tokens signed before a rotation still verify.
public final class SigningKeys: Sendable {
    static let namespace = "oauth.signing-keys"
    static let entry = "set"
    /// How many keys the set holds: the current one and those before it.
    public static let kept = 3

    struct Key: Equatable {
        var kid: String
        var pem: String
        var createdAt: Int64
    }

    let store: any StoreBackend

    public init(store: any StoreBackend) {
        self.store = store
    }

    /// The stored keys, newest first (none yet: empty), with the entry's version.
    func stored() async throws -> (keys: [Key], version: Int64?) {
        guard let entry = try await store.get(namespace: Self.namespace, key: Self.entry) else { return ([], nil) }
        guard case .object(let object)? = try? JSONValue(parsing: entry.value), case .array(let list)? = object["keys"] else { return ([], entry.version) }
        let keys = list.compactMap { value -> Key? in
            guard case .object(let key) = value, let kid = key["kid"]?.stringValue, let pem = key["pem"]?.stringValue else { return nil }
            return Key(kid: kid, pem: pem, createdAt: Int64(key["created_at"]?.intValue ?? 0))
        }
        return (keys, entry.version)
    }

    /// Puts a new key first and drops the oldest past ``kept``. Returns the new key's id.
    @discardableResult
    public func rotate() async throws -> String {
        while true {
            let (keys, version) = try await stored()
            if let made = try await write([Self.make()] + keys, replacing: version) { return made }
        }
    }

    /// The keys, making the first when there is none (two instances racing keep whichever was written first).
    func keys() async throws -> [Key] {
        while true {
            let (keys, version) = try await stored()
            if !keys.isEmpty { return keys }
            if try await write([Self.make()], replacing: version) != nil { continue }
        }
    }

    /// Writes `keys` if the entry is still at `version`; returns the first key's id, or nil on a conflict.
    func write(_ keys: [Key], replacing version: Int64?) async throws -> String? {
        let list = keys.prefix(Self.kept).map { key -> JSONValue in
            ["kid": .string(key.kid), "pem": .string(key.pem), "created_at": .int(Int(key.createdAt))]
        }
        let value = JSONValue.object(["keys": .array(Array(list))]).serialized()
        let result = try await store.compareAndSet(namespace: Self.namespace, key: Self.entry, expectedVersion: version, value: value, ttl: nil)
        guard case .written = result else { return nil }
        return keys.first?.kid
    }

    static func make() -> Key {
        Key(kid: Base64URL.random(bytes: 12), pem: P256.Signing.PrivateKey().pemRepresentation, createdAt: Timestamp.now().milliseconds)
    }

    /// `payload` signed with the current key (its `kid` in the header).
    func sign(_ payload: some JWTPayload) async throws -> String {
        guard let current = try await keys().first else { throw OAuthError.temporarilyUnavailable("no signing key") }
        let collection = JWTKeyCollection()
        await collection.add(ecdsa: try ES256PrivateKey(pem: current.pem), kid: JWKIdentifier(string: current.kid))
        return try await collection.sign(payload, kid: JWKIdentifier(string: current.kid))
    }

    /// The public keys as a JSON Web Key Set (`/auth/jwks.json`).
    public func jwks() async throws -> JSONValue {
        let keys = try await keys().compactMap { key -> JSONValue? in
            guard let parameters = try? ES256PrivateKey(pem: key.pem).publicKey.parameters else { return nil }
            return ["kty": "EC", "crv": "P-256", "kid": .string(key.kid), "use": "sig", "alg": "ES256", "x": .string(parameters.x), "y": .string(parameters.y)]
        }
        return ["keys": .array(keys)]
    }
}
