import Foundation
import PierStore
import Logging
import Testing

/// One contract, proven by every backend.
@Suite struct StoreConformanceTests {
    static let value = Array(#"{"items":["eggs"]}"#.utf8)

    @Test(arguments: Backend.enabled) func compareAndSet(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            #expect(try await store.get(namespace: "cart", key: "s1") == nil)
            let first = try await store.compareAndSet(namespace: "cart", key: "s1", expectedVersion: nil, value: Self.value, ttl: nil)
            #expect(first.entry?.version == 1)
            let again = try await store.compareAndSet(namespace: "cart", key: "s1", expectedVersion: nil, value: [1], ttl: nil)
            guard case .conflict(let current) = again else { Issue.record("expected a conflict"); return }
            #expect(current?.version == 1 && current?.value == Self.value)
            #expect(try await store.compareAndSet(namespace: "cart", key: "s1", expectedVersion: 1, value: [2], ttl: nil).entry?.version == 2)
            #expect(try await store.compareAndSet(namespace: "cart", key: "s1", expectedVersion: 1, value: [3], ttl: nil).entry == nil)
            let stored = try await store.get(namespace: "cart", key: "s1")
            #expect(stored?.value == [2] && stored?.version == 2)
            #expect(try await store.get(namespace: "other", key: "s1") == nil)
            #expect(try await store.delete(namespace: "cart", key: "s1", expectedVersion: 1) == false)
            #expect(try await store.delete(namespace: "cart", key: "s1", expectedVersion: 2) == true)
            #expect(try await store.get(namespace: "cart", key: "s1") == nil)
        }
    }

    @Test(arguments: Backend.enabled) func expiryMakesEntriesAbsent(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            // Margins wide enough for a loaded machine: the first read comes well inside the TTL.
            let written = ContinuousClock.now
            _ = try await store.compareAndSet(namespace: "n", key: "k", expectedVersion: nil, value: [1], ttl: .milliseconds(600))
            _ = try await store.compareAndSet(namespace: "n", key: "keep", expectedVersion: nil, value: [1], ttl: nil)
            let early = try await store.get(namespace: "n", key: "k")
            // Checked only when the read did come inside the TTL (a sanitizer build on 2 busy cores can take longer).
            if written.duration(to: .now) < .milliseconds(550) { #expect(early != nil) }
            try await Task.sleep(for: .milliseconds(900))
            #expect(try await store.get(namespace: "n", key: "k") == nil)
            #expect(try await store.compareAndSet(namespace: "n", key: "k", expectedVersion: 1, value: [2], ttl: nil).entry == nil)
            let recreated = try await store.compareAndSet(namespace: "n", key: "k", expectedVersion: nil, value: [3], ttl: .milliseconds(300))
            #expect(recreated.entry?.version == 2, "a re-created entry keeps counting versions")
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await store.purgeExpiredState(now: .now()) == 1)
            #expect(try await store.get(namespace: "n", key: "keep") != nil)
        }
    }

    @Test(arguments: Backend.enabled) func concurrentWritersNeverLoseAnUpdate(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let tasks = 16
            let increments = 8
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<tasks {
                    group.addTask {
                        var wins = 0
                        while wins < increments {
                            let current = try await store.get(namespace: "c", key: "counter")
                            let n = current.map { Int(String(decoding: $0.value, as: UTF8.self))! } ?? 0
                            let result = try await store.compareAndSet(
                                namespace: "c", key: "counter", expectedVersion: current?.version, value: Array(String(n + 1).utf8), ttl: nil)
                            if result.entry != nil { wins += 1 }
                        }
                        return wins
                    }
                }
                var total = 0
                for try await w in group { total += w }
                #expect(total == tasks * increments)
            }
            let final = try await store.get(namespace: "c", key: "counter")
            #expect(final.map { String(decoding: $0.value, as: UTF8.self) } == String(tasks * increments))
            #expect(final?.version == Int64(tasks * increments))
        }
    }

    @Test(arguments: Backend.enabled) func serverRegistry(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let config = Array(#"{"command":"uvx","args":["mcp-server-time"]}"#.utf8)
            try await store.createServer(UpstreamServerRecord(id: "b", name: "beta", transport: "stdio", config: config))
            try await store.createServer(UpstreamServerRecord(id: "a", name: "alpha", transport: "http", config: Array("{}".utf8)))
            await #expect(throws: StoreError(.duplicate, "")) { try await store.createServer(UpstreamServerRecord(id: "a", name: "other", transport: "http", config: [])) }
            await #expect(throws: StoreError(.duplicate, "")) { try await store.createServer(UpstreamServerRecord(id: "c", name: "alpha", transport: "http", config: [])) }
            #expect(try await store.listServers().map(\.name) == ["alpha", "beta"])
            var beta = try #require(try await store.server(id: "b"))
            #expect(beta.config == config && beta.enabled && beta.revision == 1)
            beta.enabled = false
            let updated = try await store.updateServer(beta, expectedRevision: 1)
            #expect(updated?.revision == 2 && updated?.enabled == false)
            #expect(try await store.updateServer(beta, expectedRevision: 1) == nil)
            await #expect(throws: StoreError(.notFound, "")) {
                try await store.updateServer(UpstreamServerRecord(id: "zz", name: "zz", transport: "http", config: []), expectedRevision: 1)
            }
            #expect(try await store.deleteServer(id: "b"))
            #expect(try await store.deleteServer(id: "b") == false)
            #expect(try await store.listServers().map(\.id) == ["a"])
        }
    }

    @Test(arguments: Backend.enabled) func oauthGrants(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let client = OAuthClientRecord(id: "https://chatgpt.com/oauth/client.json", name: "ChatGPT", redirectURIs: ["https://chatgpt.com/connector_platform_oauth_redirect", "http://localhost:3000/cb"])
            try await store.createClient(client)
            await #expect(throws: StoreError(.duplicate, "")) { try await store.createClient(client) }
            #expect(try await store.client(id: client.id)?.redirectURIs == client.redirectURIs)

            let later = Timestamp.now().adding(.seconds(600))
            let code = AuthorizationCodeRecord(
                codeHash: SecretHash(of: "code-1"), clientID: client.id, subject: "u1", redirectURI: client.redirectURIs[0], scopes: ["mcp:read", "mcp:write"],
                resource: "https://pier.example/mcp", codeChallenge: "abc", expiresAt: later)
            try await store.saveCode(code)
            #expect(try await store.consumeCode(SecretHash(of: "code-1"), now: .now()) == code)
            #expect(try await store.consumeCode(SecretHash(of: "code-1"), now: .now()) == nil, "a code works once")
            try await store.saveCode(AuthorizationCodeRecord(
                codeHash: SecretHash(of: "old"), clientID: client.id, subject: "u1", redirectURI: "x", scopes: [], resource: nil, codeChallenge: "c",
                expiresAt: Timestamp.now().adding(.seconds(-1))))
            #expect(try await store.consumeCode(SecretHash(of: "old"), now: .now()) == nil, "an expired code does not work")

            let refresh = TokenRecord(
                tokenHash: SecretHash(of: "r1"), kind: .refresh, clientID: client.id, subject: "u1", scopes: ["mcp:read"], resource: nil, familyID: "f1", expiresAt: later)
            let access = TokenRecord(
                tokenHash: SecretHash(of: "a1"), kind: .access, clientID: client.id, subject: "u1", scopes: ["mcp:read"], resource: "https://pier.example/mcp",
                familyID: "f1", expiresAt: later)
            try await store.saveToken(refresh)
            try await store.saveToken(access)
            #expect(try await store.token(SecretHash(of: "a1")) == access)
            let second = OAuthClientRecord(id: "dcr-2", name: "Second", redirectURIs: ["https://x.example/cb"], createdAt: Timestamp.now().adding(.seconds(1)))
            try await store.createClient(second)
            #expect(try await store.listClients().map(\.id) == [client.id, "dcr-2"])
            let expired = TokenRecord(
                tokenHash: SecretHash(of: "gone"), kind: .access, clientID: client.id, subject: "u1", scopes: [], resource: nil, familyID: "f0",
                expiresAt: Timestamp.now().adding(.seconds(-1)))
            try await store.saveToken(expired)
            #expect(Set(try await store.liveTokens(now: .now()).map(\.tokenHash)) == [SecretHash(of: "r1"), SecretHash(of: "a1")], "live tokens only")
            var next = refresh
            next.tokenHash = SecretHash(of: "r2")
            #expect(try await store.rotateRefreshToken(SecretHash(of: "r1"), replacement: next, now: .now()))
            #expect(try await store.rotateRefreshToken(SecretHash(of: "r1"), replacement: next, now: .now()) == false, "a rotated token cannot rotate again")
            #expect(try await store.token(SecretHash(of: "r1"))?.revoked == true)
            #expect(try await store.revokeFamily("f1") == 2)
            #expect(try await store.token(SecretHash(of: "a1"))?.revoked == true)
            #expect(try await store.liveTokens(now: .now()).isEmpty, "revoked tokens are not live")
            #expect(try await store.purgeExpiredGrants(now: later.adding(.seconds(1))) == 4)
            #expect(try await store.deleteClient(id: client.id))
        }
    }

    @Test(arguments: Backend.enabled) func apiKeys(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let t0 = Timestamp(milliseconds: 1_000)
            try await store.createAPIKey(APIKeyRecord(id: "k1", name: "ci", keyHash: SecretHash(of: "pier_abc"), prefix: "pier_ab", scopes: ["servers:write"], createdAt: t0))
            try await store.createAPIKey(APIKeyRecord(id: "k2", name: "ops", keyHash: SecretHash(of: "pier_def"), prefix: "pier_de", scopes: [], createdAt: t0.adding(.seconds(1))))
            await #expect(throws: StoreError(.duplicate, "")) {
                try await store.createAPIKey(APIKeyRecord(id: "k3", name: "dup", keyHash: SecretHash(of: "pier_abc"), prefix: "p", scopes: []))
            }
            #expect(try await store.apiKey(hash: SecretHash(of: "pier_abc"))?.scopes == ["servers:write"])
            #expect(try await store.listAPIKeys().map(\.id) == ["k2", "k1"])
            #expect(try await store.revokeAPIKey(id: "k1", at: .now()))
            #expect(try await store.revokeAPIKey(id: "k1", at: .now()) == false)
            #expect(try await store.apiKey(hash: SecretHash(of: "pier_abc"))?.revokedAt != nil)
        }
    }

    @Test(arguments: Backend.enabled) func activityLog(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let old = Timestamp(milliseconds: 1_000)
            let now = Timestamp.now()
            let ids = try await store.append([
                ActivityEvent(at: old, server: "time", tool: "now", durationMilliseconds: 3, status: "ok", subject: nil),
                ActivityEvent(at: now, server: "time", tool: "now", durationMilliseconds: 4, status: "error", subject: "u1"),
                ActivityEvent(at: now, server: "cart", tool: "add_to_cart", durationMilliseconds: 12, status: "ok", subject: "u2"),
                ActivityEvent(
                    at: now, server: "time", tool: "server.create", durationMilliseconds: 0, status: "ok", subject: "apikey:ops", kind: ActivityEvent.admin,
                    detail: "added stdio server time"),
            ])
            #expect(ids.count == 4 && ids == ids.sorted() && Set(ids).count == 4)
            let change = try await store.recent(limit: 1, before: nil)
            #expect(change.first?.kind == ActivityEvent.admin && change.first?.detail == "added stdio server time" && change.first?.subject == "apikey:ops")
            let newest = try await store.recent(limit: 2, before: ids[3])
            #expect(newest.map(\.tool) == ["add_to_cart", "now"])
            #expect(newest.allSatisfy { $0.kind == ActivityEvent.toolCall && $0.detail == nil })
            #expect(newest.first?.subject == "u2" && newest.first?.durationMilliseconds == 12)
            #expect(try await store.recent(limit: 10, before: newest.last!.id).map(\.id) == [ids[0]])
            #expect(try await store.purgeActivity(olderThan: Timestamp(milliseconds: 2_000)) == 1)
            #expect(try await store.recent(limit: 10, before: nil).count == 3)
        }
    }

    @Test(arguments: Backend.enabled) func users(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.createUser(UserRecord(name: "ada", passwordHash: "$2b$04$x", email: "ada@example.com"))
            try await store.createUser(UserRecord(name: "bob", passwordHash: "$2b$04$y"))
            await #expect(throws: StoreError(.duplicate, "")) { try await store.createUser(UserRecord(name: "ada", passwordHash: "z")) }
            #expect(try await store.user(name: "ada")?.email == "ada@example.com")
            #expect(try await store.user(name: "nobody") == nil)
            #expect(try await store.setPassword(name: "bob", passwordHash: "$2b$04$new"))
            #expect(try await !store.setPassword(name: "eve", passwordHash: "x"))
            let bob = try await store.user(name: "bob")
            #expect(bob?.passwordHash == "$2b$04$new" && bob?.email == nil)
            #expect(try await store.listUsers().map(\.name) == ["ada", "bob"])
            #expect(try await store.deleteUser(name: "ada"))
            #expect(try await !store.deleteUser(name: "ada"))
        }
    }

    @Test(arguments: Backend.enabled) func sessionRecords(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let s = SessionRecord(
                id: "abc", endpoint: "/connectors/readonly/mcp", protocolVersion: "2025-06-18", capabilities: Array(#"{"sampling":{}}"#.utf8),
                clientInfo: Array(#"{"name":"c"}"#.utf8), logLevel: "debug", subscriptions: ["pier://a", "file:///b c"],
                createdAt: Timestamp(milliseconds: 1_000), lastActiveAt: Timestamp(milliseconds: 1_000))
            try await store.saveSession(s)
            #expect(try await store.session(id: "abc") == s)
            var touched = s
            touched.lastActiveAt = Timestamp(milliseconds: 5_000)
            #expect(try await store.touchSession(id: "abc", at: Timestamp(milliseconds: 5_000)) == touched)
            #expect(try await store.touchSession(id: "nobody", at: Timestamp(milliseconds: 5_000)) == nil)
            #expect(try await store.session(id: "abc")?.lastActiveAt == Timestamp(milliseconds: 5_000))
            // A later save (a changed log level) replaces the state but keeps when the session began.
            var changed = s
            changed.logLevel = nil
            changed.subscriptions = []
            changed.createdAt = Timestamp(milliseconds: 4_500)
            changed.lastActiveAt = Timestamp(milliseconds: 5_000)
            try await store.saveSession(changed)
            let stored = try await store.session(id: "abc")
            #expect(stored?.logLevel == nil && stored?.subscriptions == [] && stored?.createdAt == Timestamp(milliseconds: 1_000))
            #expect(try await store.purgeSessions(idleSince: Timestamp(milliseconds: 4_000)) == 0)
            #expect(try await store.purgeSessions(idleSince: Timestamp(milliseconds: 6_000)) == 1)
            #expect(try await store.session(id: "abc") == nil)
            try await store.saveSession(s)
            #expect(try await store.deleteSession(id: "abc"))
            #expect(try await !store.deleteSession(id: "abc"))
        }
    }

    @Test(arguments: Backend.enabled) func migrationsAreIdempotent(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.migrate()
            let version = try await store.schemaVersion()
            #expect(version.applied == StoreSchema.latest && version.known == StoreSchema.latest)
        }
    }
}

@Suite struct MaintenanceTests {
    @Test(arguments: Backend.enabled) func sweepAppliesRetention(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let now = Timestamp.now()
            try await store.append([
                ActivityEvent(at: now.adding(.seconds(-40 * 86_400)), server: "s", tool: "old", durationMilliseconds: 1, status: "ok", subject: nil),
                ActivityEvent(at: now, server: "s", tool: "new", durationMilliseconds: 1, status: "ok", subject: nil),
            ])
            try await store.saveSession(SessionRecord(id: "idle", protocolVersion: "2025-06-18", capabilities: [], clientInfo: [], lastActiveAt: now.adding(.seconds(-7200))))
            try await store.saveSession(SessionRecord(id: "live", protocolVersion: "2025-06-18", capabilities: [], clientInfo: [], lastActiveAt: now))
            _ = try await store.compareAndSet(namespace: "n", key: "gone", expectedVersion: nil, value: [1], ttl: .milliseconds(1))
            try await Task.sleep(for: .milliseconds(20))
            let removed = try await StoreMaintenance(store: store, policy: .init(), logger: .init(label: "test")).sweep()
            #expect(removed.activity == 1 && removed.sessions == 1 && removed.state == 1)
            #expect(try await store.recent(limit: 10, before: nil).map(\.tool) == ["new"])
            #expect(try await store.session(id: "live") != nil)
        }
    }
}
