import CoreMetrics
import Tracing
import PierSync

/// A store that times every operation of the one it wraps: `pier_store_operation_duration_seconds{backend,
/// operation}` (a histogram; its count is the number of operations) and `pier_store_errors_total{backend,
/// operation}`. `operation` is the protocol method (`state.get`, `activity.append`, …), a fixed set.
public struct MeteredStore: StoreBackend {
    let base: any StoreBackend
    let meters: Meters
    /// Make a span per operation (only when a tracer is bootstrapped).
    let tracing: Bool

    public init(_ base: any StoreBackend, tracing: Bool = false) {
        self.base = base
        self.meters = Meters(backend: base.name)
        self.tracing = tracing
    }

    public var name: String { base.name }

    /// The timers and error counters, one pair per operation, made on first use.
    final class Meters: Sendable {
        let backend: String
        private let table = Locked<[String: (Timer, Counter)]>([:])

        init(backend: String) { self.backend = backend }

        func pair(_ operation: String) -> (Timer, Counter) {
            table.withLock { table in
                if let found = table[operation] { return found }
                let labels = [("backend", backend), ("operation", operation)]
                let made = (
                    Timer(label: "pier_store_operation_duration_seconds", dimensions: labels), Counter(label: "pier_store_errors_total", dimensions: labels)
                )
                table[operation] = made
                return made
            }
        }
    }

    func timed<T>(_ operation: String, _ body: () async throws -> T) async throws -> T {
        let (timer, errors) = meters.pair(operation)
        let started = ContinuousClock.now
        defer {
            let (seconds, attoseconds) = (ContinuousClock.now - started).components
            timer.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        }
        guard tracing else {
            do {
                return try await body()
            } catch {
                errors.increment()
                throw error
            }
        }
        // A child span of whatever request this store work serves.
        return try await withSpan("store \(operation)", ofKind: .client) { span in
            if span.isRecording {
                span.attributes["db.system.name"] = meters.backend
                span.attributes["db.operation.name"] = operation
            }
            do {
                return try await body()
            } catch {
                errors.increment()
                span.recordError(error)
                throw error
            }
        }
    }

    public func migrate() async throws { try await timed("schema.migrate") { try await base.migrate() } }
    public func schemaVersion() async throws -> (applied: Int, known: Int) { try await timed("schema.version") { try await base.schemaVersion() } }

    // State
    public func get(namespace: String, key: String) async throws -> StateEntry? {
        try await timed("state.get") { try await base.get(namespace: namespace, key: key) }
    }
    public func compareAndSet(namespace: String, key: String, expectedVersion: Int64?, value: [UInt8], ttl: Duration?) async throws -> CASResult {
        try await timed("state.cas") { try await base.compareAndSet(namespace: namespace, key: key, expectedVersion: expectedVersion, value: value, ttl: ttl) }
    }
    public func delete(namespace: String, key: String, expectedVersion: Int64?) async throws -> Bool {
        try await timed("state.delete") { try await base.delete(namespace: namespace, key: key, expectedVersion: expectedVersion) }
    }
    public func purgeExpiredState(now: Timestamp) async throws -> Int { try await timed("state.purge") { try await base.purgeExpiredState(now: now) } }

    // Servers
    public func listServers() async throws -> [UpstreamServerRecord] { try await timed("servers.list") { try await base.listServers() } }
    public func server(id: String) async throws -> UpstreamServerRecord? { try await timed("servers.get") { try await base.server(id: id) } }
    public func createServer(_ record: UpstreamServerRecord) async throws { try await timed("servers.create") { try await base.createServer(record) } }
    public func updateServer(_ record: UpstreamServerRecord, expectedRevision: Int64) async throws -> UpstreamServerRecord? {
        try await timed("servers.update") { try await base.updateServer(record, expectedRevision: expectedRevision) }
    }
    public func deleteServer(id: String) async throws -> Bool { try await timed("servers.delete") { try await base.deleteServer(id: id) } }

    // OAuth
    public func createClient(_ client: OAuthClientRecord) async throws { try await timed("oauth.client_create") { try await base.createClient(client) } }
    public func client(id: String) async throws -> OAuthClientRecord? { try await timed("oauth.client_get") { try await base.client(id: id) } }
    public func deleteClient(id: String) async throws -> Bool { try await timed("oauth.client_delete") { try await base.deleteClient(id: id) } }
    public func listClients() async throws -> [OAuthClientRecord] { try await timed("oauth.client_list") { try await base.listClients() } }
    public func liveTokens(now: Timestamp) async throws -> [TokenRecord] { try await timed("oauth.token_list") { try await base.liveTokens(now: now) } }
    public func saveCode(_ code: AuthorizationCodeRecord) async throws { try await timed("oauth.code_save") { try await base.saveCode(code) } }
    public func consumeCode(_ hash: SecretHash, now: Timestamp) async throws -> AuthorizationCodeRecord? {
        try await timed("oauth.code_consume") { try await base.consumeCode(hash, now: now) }
    }
    public func saveToken(_ token: TokenRecord) async throws { try await timed("oauth.token_save") { try await base.saveToken(token) } }
    public func token(_ hash: SecretHash) async throws -> TokenRecord? { try await timed("oauth.token_get") { try await base.token(hash) } }
    public func rotateRefreshToken(_ old: SecretHash, replacement: TokenRecord, now: Timestamp) async throws -> Bool {
        try await timed("oauth.token_rotate") { try await base.rotateRefreshToken(old, replacement: replacement, now: now) }
    }
    public func revokeFamily(_ familyID: String) async throws -> Int { try await timed("oauth.family_revoke") { try await base.revokeFamily(familyID) } }
    public func purgeExpiredGrants(now: Timestamp) async throws -> Int { try await timed("oauth.purge") { try await base.purgeExpiredGrants(now: now) } }

    // API keys
    public func createAPIKey(_ key: APIKeyRecord) async throws { try await timed("apikeys.create") { try await base.createAPIKey(key) } }
    public func apiKey(hash: SecretHash) async throws -> APIKeyRecord? { try await timed("apikeys.get") { try await base.apiKey(hash: hash) } }
    public func listAPIKeys() async throws -> [APIKeyRecord] { try await timed("apikeys.list") { try await base.listAPIKeys() } }
    public func revokeAPIKey(id: String, at: Timestamp) async throws -> Bool { try await timed("apikeys.revoke") { try await base.revokeAPIKey(id: id, at: at) } }

    // Activity
    public func append(_ events: [ActivityEvent]) async throws -> [Int64] { try await timed("activity.append") { try await base.append(events) } }
    public func recent(limit: Int, before: Int64?) async throws -> [ActivityEvent] {
        try await timed("activity.recent") { try await base.recent(limit: limit, before: before) }
    }
    public func purgeActivity(olderThan cutoff: Timestamp) async throws -> Int { try await timed("activity.purge") { try await base.purgeActivity(olderThan: cutoff) } }

    // Sessions
    public func saveSession(_ session: SessionRecord) async throws { try await timed("sessions.save") { try await base.saveSession(session) } }
    public func session(id: String) async throws -> SessionRecord? { try await timed("sessions.get") { try await base.session(id: id) } }
    public func touchSession(id: String, at: Timestamp) async throws -> SessionRecord? { try await timed("sessions.touch") { try await base.touchSession(id: id, at: at) } }
    public func deleteSession(id: String) async throws -> Bool { try await timed("sessions.delete") { try await base.deleteSession(id: id) } }
    public func purgeSessions(idleSince cutoff: Timestamp) async throws -> Int { try await timed("sessions.purge") { try await base.purgeSessions(idleSince: cutoff) } }

    // Users
    public func createUser(_ user: UserRecord) async throws { try await timed("users.create") { try await base.createUser(user) } }
    public func user(name: String) async throws -> UserRecord? { try await timed("users.get") { try await base.user(name: name) } }
    public func listUsers() async throws -> [UserRecord] { try await timed("users.list") { try await base.listUsers() } }
    public func setPassword(name: String, passwordHash: String) async throws -> Bool {
        try await timed("users.set_password") { try await base.setPassword(name: name, passwordHash: passwordHash) }
    }
    public func deleteUser(name: String) async throws -> Bool { try await timed("users.delete") { try await base.deleteUser(name: name) } }
}
