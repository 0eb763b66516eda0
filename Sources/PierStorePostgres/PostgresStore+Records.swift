import NIOCore
public import PierStore
import PostgresNIO

extension PostgresStore {
    // MARK: servers

    typealias ServerRow = (String, String, String, ByteBuffer, Bool, Int64, Int64, Int64)
    static let serverColumns: PostgresQuery = "SELECT id, name, transport, config, enabled, created_at, updated_at, revision FROM pier_servers"

    static func server(_ r: ServerRow) -> UpstreamServerRecord {
        UpstreamServerRecord(
            id: r.0, name: r.1, transport: r.2, config: r.3.bytes, enabled: r.4, createdAt: Timestamp(milliseconds: r.5), updatedAt: Timestamp(milliseconds: r.6),
            revision: r.7)
    }

    public func listServers() async throws -> [UpstreamServerRecord] {
        try await guarded {
            var out: [UpstreamServerRecord] = []
            let rows = try await pool.query("SELECT id, name, transport, config, enabled, created_at, updated_at, revision FROM pier_servers ORDER BY name", logger: logger)
            for try await r in rows.decode(ServerRow.self) { out.append(Self.server(r)) }
            return out
        }
    }

    public func server(id: String) async throws -> UpstreamServerRecord? {
        try await guarded {
            let rows = try await pool.query(
                "SELECT id, name, transport, config, enabled, created_at, updated_at, revision FROM pier_servers WHERE id = \(id)", logger: logger)
            for try await r in rows.decode(ServerRow.self) { return Self.server(r) }
            return nil
        }
    }

    public func createServer(_ r: UpstreamServerRecord) async throws {
        try await guarded {
            try await pool.query(
                """
                INSERT INTO pier_servers (id, name, transport, config, enabled, created_at, updated_at, revision)
                VALUES (\(r.id), \(r.name), \(r.transport), \(r.config.buffer), \(r.enabled), \(r.createdAt.milliseconds), \(r.updatedAt.milliseconds), \(r.revision))
                """, logger: logger)
        }
    }

    public func updateServer(_ r: UpstreamServerRecord, expectedRevision: Int64) async throws -> UpstreamServerRecord? {
        try await guarded {
            let rows = try await pool.query(
                """
                UPDATE pier_servers SET name = \(r.name), transport = \(r.transport), config = \(r.config.buffer), enabled = \(r.enabled),
                    updated_at = \(Timestamp.now().milliseconds), revision = revision + 1
                WHERE id = \(r.id) AND revision = \(expectedRevision)
                RETURNING id, name, transport, config, enabled, created_at, updated_at, revision
                """, logger: logger)
            for try await row in rows.decode(ServerRow.self) { return Self.server(row) }
            guard try await server(id: r.id) != nil else { throw StoreError(.notFound, "no such server") }
            return nil
        }
    }

    public func deleteServer(id: String) async throws -> Bool {
        try await guarded { try await pool.query("DELETE FROM pier_servers WHERE id = \(id) RETURNING 1", logger: logger).count() > 0 }
    }

    // MARK: API keys

    typealias KeyRow = (String, String, String, String, String, Int64, Int64?)

    static func apiKey(_ r: KeyRow) -> APIKeyRecord {
        APIKeyRecord(
            id: r.0, name: r.1, keyHash: SecretHash(hex: r.2), prefix: r.3, scopes: ListColumn.decode(r.4), createdAt: Timestamp(milliseconds: r.5),
            revokedAt: r.6.map(Timestamp.init(milliseconds:)))
    }

    public func createAPIKey(_ k: APIKeyRecord) async throws {
        try await guarded {
            try await pool.query(
                """
                INSERT INTO pier_api_keys (id, name, key_hash, prefix, scopes, created_at, revoked_at)
                VALUES (\(k.id), \(k.name), \(k.keyHash.hex), \(k.prefix), \(ListColumn.encode(k.scopes)), \(k.createdAt.milliseconds), \(k.revokedAt?.milliseconds))
                """, logger: logger)
        }
    }

    public func apiKey(hash: SecretHash) async throws -> APIKeyRecord? {
        try await guarded {
            let rows = try await pool.query(
                "SELECT id, name, key_hash, prefix, scopes, created_at, revoked_at FROM pier_api_keys WHERE key_hash = \(hash.hex)", logger: logger)
            for try await r in rows.decode(KeyRow.self) { return Self.apiKey(r) }
            return nil
        }
    }

    public func listAPIKeys() async throws -> [APIKeyRecord] {
        try await guarded {
            var out: [APIKeyRecord] = []
            let rows = try await pool.query(
                "SELECT id, name, key_hash, prefix, scopes, created_at, revoked_at FROM pier_api_keys ORDER BY created_at DESC, id DESC", logger: logger)
            for try await r in rows.decode(KeyRow.self) { out.append(Self.apiKey(r)) }
            return out
        }
    }

    public func revokeAPIKey(id: String, at: Timestamp) async throws -> Bool {
        try await guarded {
            try await pool.query(
                "UPDATE pier_api_keys SET revoked_at = \(at.milliseconds) WHERE id = \(id) AND revoked_at IS NULL RETURNING 1", logger: logger
            ).count() > 0
        }
    }

    // MARK: activity

    typealias EventRow = (Int64, Int64, String, String, Int64, String, String?, String, String?)

    public func append(_ events: [ActivityEvent]) async throws -> [Int64] {
        guard !events.isEmpty else { return [] }
        return try await guarded {
            try await pool.withTransaction(logger: logger) { conn in
                // Several rows per statement (500 at most: 4,000 parameters), in one transaction.
                var ids: [Int64] = []
                var start = events.startIndex
                while start < events.endIndex {
                    let chunk = events[start..<min(start + 500, events.endIndex)]
                    start = chunk.endIndex
                    var binds = PostgresBindings(capacity: chunk.count * 8)
                    var rows: [String] = []
                    for e in chunk {
                        let n = binds.count
                        rows.append("($\(n + 1), $\(n + 2), $\(n + 3), $\(n + 4), $\(n + 5), $\(n + 6), $\(n + 7), $\(n + 8))")
                        binds.append(e.at.milliseconds)
                        binds.append(e.server)
                        binds.append(e.tool)
                        binds.append(e.durationMilliseconds)
                        binds.append(e.status)
                        binds.append(e.subject)
                        binds.append(e.kind)
                        binds.append(e.detail)
                    }
                    let sql = "INSERT INTO pier_activity (at, server, tool, duration_ms, status, subject, kind, detail) VALUES "
                        + rows.joined(separator: ", ") + " RETURNING id"
                    let result = try await conn.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
                    for try await id in result.decode(Int64.self) { ids.append(id) }
                }
                return ids
            }
        }
    }

    public func recent(limit: Int, before: Int64?) async throws -> [ActivityEvent] {
        try await guarded {
            var out: [ActivityEvent] = []
            let rows = try await pool.query(
                """
                SELECT id, at, server, tool, duration_ms, status, subject, kind, detail FROM pier_activity
                WHERE id < \(before ?? Int64.max) ORDER BY id DESC LIMIT \(max(0, limit))
                """, logger: logger)
            for try await r in rows.decode(EventRow.self) {
                out.append(ActivityEvent(id: r.0, at: Timestamp(milliseconds: r.1), server: r.2, tool: r.3, durationMilliseconds: r.4, status: r.5, subject: r.6, kind: r.7, detail: r.8))
            }
            return out
        }
    }

    public func purgeActivity(olderThan cutoff: Timestamp) async throws -> Int {
        try await guarded { try await pool.query("DELETE FROM pier_activity WHERE at < \(cutoff.milliseconds) RETURNING 1", logger: logger).count() }
    }

    // MARK: sessions

    typealias SessionRow = (String, String, String, ByteBuffer, ByteBuffer, String?, String, Int64, Int64)

    public func saveSession(_ s: SessionRecord) async throws {
        try await guarded {
            try await pool.query(
                """
                INSERT INTO pier_sessions (id, endpoint, protocol_version, capabilities, client_info, log_level, subscriptions, created_at, last_active_at)
                VALUES (\(s.id), \(s.endpoint), \(s.protocolVersion), \(s.capabilities.buffer), \(s.clientInfo.buffer), \(s.logLevel),
                    \(s.subscriptionText), \(s.createdAt.milliseconds), \(s.lastActiveAt.milliseconds))
                ON CONFLICT (id) DO UPDATE SET endpoint = excluded.endpoint, protocol_version = excluded.protocol_version,
                    capabilities = excluded.capabilities, client_info = excluded.client_info, log_level = excluded.log_level,
                    subscriptions = excluded.subscriptions, last_active_at = excluded.last_active_at
                """, logger: logger)
        }
    }

    public func session(id: String) async throws -> SessionRecord? {
        try await guarded {
            try await firstSession(
                pool.query(
                    """
                    SELECT id, endpoint, protocol_version, capabilities, client_info, log_level, subscriptions, created_at, last_active_at
                    FROM pier_sessions WHERE id = \(id)
                    """, logger: logger))
        }
    }

    public func touchSession(id: String, at: Timestamp) async throws -> SessionRecord? {
        try await guarded {
            try await firstSession(
                pool.query(
                    """
                    UPDATE pier_sessions SET last_active_at = \(at.milliseconds) WHERE id = \(id)
                    RETURNING id, endpoint, protocol_version, capabilities, client_info, log_level, subscriptions, created_at, last_active_at
                    """, logger: logger))
        }
    }

    private func firstSession(_ rows: PostgresRows) async throws -> SessionRecord? {
        for try await r in rows.decode(SessionRow.self) {
            return SessionRecord(
                id: r.0, endpoint: r.1, protocolVersion: r.2, capabilities: r.3.bytes, clientInfo: r.4.bytes, logLevel: r.5,
                subscriptions: SessionRecord.subscriptions(from: r.6), createdAt: Timestamp(milliseconds: r.7), lastActiveAt: Timestamp(milliseconds: r.8))
        }
        return nil
    }

    public func deleteSession(id: String) async throws -> Bool {
        try await guarded { try await pool.query("DELETE FROM pier_sessions WHERE id = \(id) RETURNING 1", logger: logger).count() > 0 }
    }

    public func purgeSessions(idleSince cutoff: Timestamp) async throws -> Int {
        try await guarded { try await pool.query("DELETE FROM pier_sessions WHERE last_active_at < \(cutoff.milliseconds) RETURNING 1", logger: logger).count() }
    }
}
