import PierSync

/// An in-memory backend, for unit tests. It keeps the same contract as the database backends.
public final class MemoryStore: StoreBackend {
    private struct State {
        var state: [String: StateEntry] = [:]
        var servers: [String: UpstreamServerRecord] = [:]
        var clients: [String: OAuthClientRecord] = [:]
        var codes: [SecretHash: AuthorizationCodeRecord] = [:]
        var tokens: [SecretHash: TokenRecord] = [:]
        var apiKeys: [String: APIKeyRecord] = [:]
        var activity: [ActivityEvent] = []
        var nextActivityID: Int64 = 1
        var sessions: [String: SessionRecord] = [:]
        var users: [String: UserRecord] = [:]
    }
    private let data = Locked(State())

    public init() {}

    public var name: String { "memory" }
    public func migrate() async throws {}
    public func schemaVersion() async throws -> (applied: Int, known: Int) { (StoreSchema.latest, StoreSchema.latest) }

    private static func stateKey(_ namespace: String, _ key: String) -> String { "\(namespace)\u{0}\(key)" }

    // MARK: state

    public func get(namespace: String, key: String) async throws -> StateEntry? {
        let now = Timestamp.now()
        return data.withLock { d in
            guard let e = d.state[Self.stateKey(namespace, key)], e.expiresAt.map({ $0 > now }) ?? true else { return nil }
            return e
        }
    }

    public func compareAndSet(namespace: String, key: String, expectedVersion: Int64?, value: [UInt8], ttl: Duration?) async throws -> CASResult {
        let now = Timestamp.now()
        return data.withLock { d in
            let k = Self.stateKey(namespace, key)
            let stored = d.state[k]
            let live = stored.flatMap { e in e.expiresAt.map { $0 > now } ?? true ? e : nil }
            guard live?.version == expectedVersion else { return .conflict(current: live) }
            let entry = StateEntry(
                namespace: namespace, key: key, value: value, version: (stored?.version ?? 0) + 1, updatedAt: now, expiresAt: ttl.map { now.adding($0) })
            d.state[k] = entry
            return .written(entry)
        }
    }

    public func delete(namespace: String, key: String, expectedVersion: Int64?) async throws -> Bool {
        data.withLock { d in
            let k = Self.stateKey(namespace, key)
            guard let e = d.state[k], expectedVersion == nil || e.version == expectedVersion else { return false }
            d.state[k] = nil
            return true
        }
    }

    public func purgeExpiredState(now: Timestamp) async throws -> Int {
        data.withLock { d in
            let expired = d.state.filter { $0.value.expiresAt.map { $0 <= now } ?? false }.keys
            for k in expired { d.state[k] = nil }
            return expired.count
        }
    }

    // MARK: servers

    public func listServers() async throws -> [UpstreamServerRecord] { data.withLock { $0.servers.values.sorted { $0.name < $1.name } } }
    public func server(id: String) async throws -> UpstreamServerRecord? { data.withLock { $0.servers[id] } }

    public func createServer(_ record: UpstreamServerRecord) async throws {
        try data.withLock { d throws(StoreError) in
            guard d.servers[record.id] == nil, !d.servers.values.contains(where: { $0.name == record.name }) else {
                throw StoreError(.duplicate, "a server with this id or name exists")
            }
            d.servers[record.id] = record
        }
    }

    public func updateServer(_ record: UpstreamServerRecord, expectedRevision: Int64) async throws -> UpstreamServerRecord? {
        try data.withLock { d throws(StoreError) -> UpstreamServerRecord? in
            guard let current = d.servers[record.id] else { throw StoreError(.notFound, "no such server") }
            guard current.revision == expectedRevision else { return nil }
            if d.servers.values.contains(where: { $0.name == record.name && $0.id != record.id }) {
                throw StoreError(.duplicate, "a server with this name exists")
            }
            var updated = record
            updated.createdAt = current.createdAt
            updated.revision = current.revision + 1
            updated.updatedAt = .now()
            d.servers[record.id] = updated
            return updated
        }
    }

    public func deleteServer(id: String) async throws -> Bool { data.withLock { $0.servers.removeValue(forKey: id) != nil } }

    // MARK: OAuth

    public func createClient(_ client: OAuthClientRecord) async throws {
        try data.withLock { d throws(StoreError) in
            guard d.clients[client.id] == nil else { throw StoreError(.duplicate, "a client with this id exists") }
            d.clients[client.id] = client
        }
    }

    public func client(id: String) async throws -> OAuthClientRecord? { data.withLock { $0.clients[id] } }
    public func listClients() async throws -> [OAuthClientRecord] {
        data.withLock { Array($0.clients.values) }.sorted { ($0.createdAt.milliseconds, $0.id) < ($1.createdAt.milliseconds, $1.id) }
    }
    public func liveTokens(now: Timestamp) async throws -> [TokenRecord] {
        data.withLock { d in d.tokens.values.filter { !$0.revoked && $0.expiresAt > now } }.sorted { $0.tokenHash.hex < $1.tokenHash.hex }
    }
    public func deleteClient(id: String) async throws -> Bool { data.withLock { $0.clients.removeValue(forKey: id) != nil } }
    public func saveCode(_ code: AuthorizationCodeRecord) async throws { data.withLock { $0.codes[code.codeHash] = code } }

    public func consumeCode(_ hash: SecretHash, now: Timestamp) async throws -> AuthorizationCodeRecord? {
        data.withLock { d in
            guard let code = d.codes.removeValue(forKey: hash), code.expiresAt > now else { return nil }
            return code
        }
    }

    public func saveToken(_ token: TokenRecord) async throws { data.withLock { $0.tokens[token.tokenHash] = token } }
    public func token(_ hash: SecretHash) async throws -> TokenRecord? { data.withLock { $0.tokens[hash] } }

    public func rotateRefreshToken(_ old: SecretHash, replacement: TokenRecord, now: Timestamp) async throws -> Bool {
        data.withLock { d in
            guard let current = d.tokens[old], current.kind == .refresh, !current.revoked, current.expiresAt > now else { return false }
            d.tokens[old]?.revoked = true
            d.tokens[replacement.tokenHash] = replacement
            return true
        }
    }

    public func revokeFamily(_ familyID: String) async throws -> Int {
        data.withLock { d in
            let hashes = d.tokens.values.filter { $0.familyID == familyID && !$0.revoked }.map(\.tokenHash)
            for h in hashes { d.tokens[h]?.revoked = true }
            return hashes.count
        }
    }

    public func purgeExpiredGrants(now: Timestamp) async throws -> Int {
        data.withLock { d in
            let codes = d.codes.filter { $0.value.expiresAt <= now }.keys
            let tokens = d.tokens.filter { $0.value.expiresAt <= now }.keys
            for k in codes { d.codes[k] = nil }
            for k in tokens { d.tokens[k] = nil }
            return codes.count + tokens.count
        }
    }

    // MARK: users

    public func createUser(_ user: UserRecord) async throws {
        try data.withLock { d throws(StoreError) in
            guard d.users[user.name] == nil else { throw StoreError(.duplicate, "a user with that name exists") }
            d.users[user.name] = user
        }
    }

    public func user(name: String) async throws -> UserRecord? { data.withLock { $0.users[name] } }

    public func listUsers() async throws -> [UserRecord] { data.withLock { $0.users.values.sorted { $0.name < $1.name } } }

    public func setPassword(name: String, passwordHash: String) async throws -> Bool {
        data.withLock { d in
            guard d.users[name] != nil else { return false }
            d.users[name]?.passwordHash = passwordHash
            return true
        }
    }

    public func deleteUser(name: String) async throws -> Bool { data.withLock { $0.users.removeValue(forKey: name) != nil } }

    // MARK: API keys

    public func createAPIKey(_ key: APIKeyRecord) async throws {
        try data.withLock { d throws(StoreError) in
            guard d.apiKeys[key.id] == nil, !d.apiKeys.values.contains(where: { $0.keyHash == key.keyHash }) else {
                throw StoreError(.duplicate, "an API key with this id or hash exists")
            }
            d.apiKeys[key.id] = key
        }
    }

    public func apiKey(hash: SecretHash) async throws -> APIKeyRecord? { data.withLock { $0.apiKeys.values.first { $0.keyHash == hash } } }

    public func listAPIKeys() async throws -> [APIKeyRecord] {
        data.withLock { $0.apiKeys.values.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) } }
    }

    public func revokeAPIKey(id: String, at: Timestamp) async throws -> Bool {
        data.withLock { d in
            guard let key = d.apiKeys[id], key.revokedAt == nil else { return false }
            d.apiKeys[id]?.revokedAt = at
            return true
        }
    }

    // MARK: activity

    public func append(_ events: [ActivityEvent]) async throws -> [Int64] {
        data.withLock { d in
            events.map { e in
                var e = e
                e.id = d.nextActivityID
                d.nextActivityID += 1
                d.activity.append(e)
                return e.id
            }
        }
    }

    public func recent(limit: Int, before: Int64?) async throws -> [ActivityEvent] {
        data.withLock { d in Array(d.activity.reversed().filter { before == nil || $0.id < before! }.prefix(max(0, limit))) }
    }

    public func purgeActivity(olderThan cutoff: Timestamp) async throws -> Int {
        data.withLock { d in
            let before = d.activity.count
            d.activity.removeAll { $0.at < cutoff }
            return before - d.activity.count
        }
    }

    // MARK: sessions

    public func saveSession(_ session: SessionRecord) async throws {
        data.withLock { d in
            var session = session
            if let existing = d.sessions[session.id] { session.createdAt = existing.createdAt }
            d.sessions[session.id] = session
        }
    }
    public func session(id: String) async throws -> SessionRecord? { data.withLock { $0.sessions[id] } }
    public func touchSession(id: String, at: Timestamp) async throws -> SessionRecord? {
        data.withLock { d in
            d.sessions[id]?.lastActiveAt = at
            return d.sessions[id]
        }
    }
    public func deleteSession(id: String) async throws -> Bool { data.withLock { $0.sessions.removeValue(forKey: id) != nil } }

    public func purgeSessions(idleSince cutoff: Timestamp) async throws -> Int {
        data.withLock { d in
            let idle = d.sessions.filter { $0.value.lastActiveAt < cutoff }.keys
            for k in idle { d.sessions[k] = nil }
            return idle.count
        }
    }
}
