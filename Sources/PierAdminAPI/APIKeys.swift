import Crypto
public import PierAuth
public import PierStore
import PierSync

/// The admin API's keys: the bootstrap key from `PIER_ADMIN_API_KEY` (held in memory as a hash) and the keys
/// `pier apikey create` made (stored only as hashes). Presented keys are hashed and compared in constant time.
public final class APIKeys: Sendable {
    /// Who made a request, as the activity log names them: `apikey:NAME`.
    public struct Holder: Sendable, Equatable {
        public let name: String
        /// Who the activity log names for changes made with it: `apikey:<name>`, or `user:<name>` for a person
        /// signed in to the dashboard.
        public let actor: String

        init(name: String) {
            self.name = name
            self.actor = "apikey:\(name)"
        }

        private init(name: String, actor: String) {
            self.name = name
            self.actor = actor
        }

        /// A user signed in to the dashboard, whose changes go through the same code as the API's.
        public static func user(_ name: String) -> Holder { Holder(name: name, actor: "user:\(name)") }
    }

    /// The name the bootstrap key is listed under.
    public static let bootstrapName = "PIER_ADMIN_API_KEY"
    /// Keys are at least this long.
    public static let minimumLength = 32

    let store: any APIKeyStore
    let bootstrap: SecretHash?
    let limiter: Locked<FailureLimiter>

    /// - Throws: ``AdminError`` when `bootstrapKey` is shorter than ``minimumLength``.
    public init(store: any APIKeyStore, bootstrapKey: String?, limiter: FailureLimiter = FailureLimiter()) throws(AdminError) {
        if let key = bootstrapKey, key.utf8.count < Self.minimumLength {
            throw .invalid("PIER_ADMIN_API_KEY", "at least \(Self.minimumLength) characters of random text (got \(key.utf8.count))")
        }
        self.store = store
        self.bootstrap = bootstrapKey.map { SecretHash(of: $0) }
        self.limiter = Locked(limiter)
    }

    /// `true` when any key can be accepted (a bootstrap key, or a live stored one).
    public var hasBootstrapKey: Bool { bootstrap != nil }

    /// The holder of the key in `authorization` (`Bearer <key>`) from `address`.
    /// - Throws: 401 for no key or a wrong one, 429 while `address` has failed too often, 503 when the store is down.
    public func authenticate(authorization: String?, address: String) async throws(AdminError) -> Holder {
        if let wait = limiter.withLock({ $0.blocked(address, at: .now) }) {
            throw .rateLimited(retryAfter: max(1, Int(wait.components.seconds) + 1))
        }
        guard let key = BearerToken.from(authorization) else {
            limiter.withLock { $0.failed(address, at: .now) }
            throw .unauthorized
        }
        let hash = SecretHash(of: key)
        if let bootstrap, ConstantTime.equal(hash.hex, bootstrap.hex) { return Holder(name: Self.bootstrapName) }
        let record: APIKeyRecord?
        do {
            record = try await store.apiKey(hash: hash)
        } catch {
            throw .unavailable("the key store cannot be reached now")
        }
        guard let record, record.revokedAt == nil, ConstantTime.equal(record.keyHash.hex, hash.hex) else {
            limiter.withLock { $0.failed(address, at: .now) }
            throw .unauthorized
        }
        return Holder(name: record.name)
    }

    // MARK: managing keys

    /// A new random key: `pier_` and 43 characters (256 bits, base64url).
    public static func generate() -> String { "pier_" + Base64URL.random(bytes: 32) }

    /// Creates a key named `name` and returns it with the secret, which is shown this once and stored only as a hash.
    /// - Throws: 400 for a bad name, 409 when a live key has that name.
    public static func create(name: String, in store: any APIKeyStore) async throws(AdminError) -> (record: APIKeyRecord, key: String) {
        guard ServerPolicy.isValidName(name), name != bootstrapName else { throw .invalid("name", "1–64 characters of A-Z a-z 0-9 _ - (and not \(bootstrapName))") }
        do {
            if try await store.listAPIKeys().contains(where: { $0.name == name && $0.revokedAt == nil }) {
                throw AdminError.conflict("a live API key named \"\(name)\" exists already; revoke it first")
            }
            let key = generate()
            let record = APIKeyRecord(id: "key_" + String(generate().dropFirst(5).prefix(16)), name: name, keyHash: SecretHash(of: key), prefix: String(key.prefix(12)), scopes: ["admin"])
            try await store.createAPIKey(record)
            return (record, key)
        } catch let error as AdminError {
            throw error
        } catch {
            throw .unavailable("the key store cannot be reached now")
        }
    }

    /// Revokes the live key named `name` (or with that id).
    /// - Throws: 404 when there is none.
    public static func revoke(_ name: String, in store: any APIKeyStore) async throws(AdminError) -> APIKeyRecord {
        do {
            guard let record = try await store.listAPIKeys().first(where: { ($0.name == name || $0.id == name) && $0.revokedAt == nil }) else {
                throw AdminError.notFound("no live API key named \"\(name)\"")
            }
            _ = try await store.revokeAPIKey(id: record.id, at: .now())
            return record
        } catch let error as AdminError {
            throw error
        } catch {
            throw .unavailable("the key store cannot be reached now")
        }
    }
}
