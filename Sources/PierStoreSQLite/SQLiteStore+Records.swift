import Foundation
import GRDB
public import PierStore

extension SQLiteStore {
    // MARK: servers

    static func server(_ row: Row) -> UpstreamServerRecord {
        UpstreamServerRecord(
            id: row["id"], name: row["name"], transport: row["transport"], config: [UInt8](row["config"] as Data? ?? Data()),
            enabled: row["enabled"], createdAt: Timestamp(milliseconds: row["created_at"]), updatedAt: Timestamp(milliseconds: row["updated_at"]),
            revision: row["revision"])
    }

    public func listServers() async throws -> [UpstreamServerRecord] {
        try await guarded { try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM pier_servers ORDER BY name").map(Self.server) } }
    }

    public func server(id: String) async throws -> UpstreamServerRecord? {
        try await guarded { try await pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM pier_servers WHERE id = ?", arguments: [id]).map(Self.server) } }
    }

    public func createServer(_ r: UpstreamServerRecord) async throws {
        try await guarded {
            try await pool.write { db in
                try db.execute(
                    sql: "INSERT INTO pier_servers (id, name, transport, config, enabled, created_at, updated_at, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [r.id, r.name, r.transport, Data(r.config), r.enabled, r.createdAt.milliseconds, r.updatedAt.milliseconds, r.revision])
            }
        }
    }

    public func updateServer(_ r: UpstreamServerRecord, expectedRevision: Int64) async throws -> UpstreamServerRecord? {
        try await guarded {
            try await pool.write { db -> UpstreamServerRecord? in
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM pier_servers WHERE id = ?", arguments: [r.id]) != nil else {
                    throw StoreError(.notFound, "no such server")
                }
                try db.execute(
                    sql: """
                        UPDATE pier_servers SET name = ?, transport = ?, config = ?, enabled = ?, updated_at = ?, revision = revision + 1
                        WHERE id = ? AND revision = ?
                        """,
                    arguments: [r.name, r.transport, Data(r.config), r.enabled, Timestamp.now().milliseconds, r.id, expectedRevision])
                guard db.changesCount > 0 else { return nil }
                return try Row.fetchOne(db, sql: "SELECT * FROM pier_servers WHERE id = ?", arguments: [r.id]).map(Self.server)
            }
        }
    }

    public func deleteServer(id: String) async throws -> Bool {
        try await guarded {
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM pier_servers WHERE id = ?", arguments: [id])
                return db.changesCount > 0
            }
        }
    }

    // MARK: API keys

    static func apiKey(_ row: Row) -> APIKeyRecord {
        APIKeyRecord(
            id: row["id"], name: row["name"], keyHash: SecretHash(hex: row["key_hash"]), prefix: row["prefix"], scopes: ListColumn.decode(row["scopes"]),
            createdAt: Timestamp(milliseconds: row["created_at"]), revokedAt: (row["revoked_at"] as Int64?).map(Timestamp.init(milliseconds:)))
    }

    public func createAPIKey(_ k: APIKeyRecord) async throws {
        try await guarded {
            try await pool.write { db in
                try db.execute(
                    sql: "INSERT INTO pier_api_keys (id, name, key_hash, prefix, scopes, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    arguments: [k.id, k.name, k.keyHash.hex, k.prefix, ListColumn.encode(k.scopes), k.createdAt.milliseconds, k.revokedAt?.milliseconds])
            }
        }
    }

    public func apiKey(hash: SecretHash) async throws -> APIKeyRecord? {
        try await guarded { try await pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM pier_api_keys WHERE key_hash = ?", arguments: [hash.hex]).map(Self.apiKey) } }
    }

    public func listAPIKeys() async throws -> [APIKeyRecord] {
        try await guarded { try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM pier_api_keys ORDER BY created_at DESC, id DESC").map(Self.apiKey) } }
    }

    public func revokeAPIKey(id: String, at: Timestamp) async throws -> Bool {
        try await guarded {
            try await pool.write { db in
                try db.execute(sql: "UPDATE pier_api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [at.milliseconds, id])
                return db.changesCount > 0
            }
        }
    }

    // MARK: activity

    static func event(_ row: Row) -> ActivityEvent {
        ActivityEvent(
            id: row["id"], at: Timestamp(milliseconds: row["at"]), server: row["server"], tool: row["tool"], durationMilliseconds: row["duration_ms"],
            status: row["status"], subject: row["subject"], kind: row["kind"], detail: row["detail"])
    }

    public func append(_ events: [ActivityEvent]) async throws -> [Int64] {
        try await guarded {
            try await pool.write { db in
                // One prepared statement for the batch, in one transaction.
                let insert = try db.cachedStatement(
                    sql: "INSERT INTO pier_activity (at, server, tool, duration_ms, status, subject, kind, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                return try events.map { e in
                    try insert.execute(arguments: [e.at.milliseconds, e.server, e.tool, e.durationMilliseconds, e.status, e.subject, e.kind, e.detail])
                    return db.lastInsertedRowID
                }
            }
        }
    }

    public func recent(limit: Int, before: Int64?) async throws -> [ActivityEvent] {
        try await guarded {
            try await pool.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT * FROM pier_activity WHERE id < ? ORDER BY id DESC LIMIT ?", arguments: [before ?? Int64.max, max(0, limit)]
                ).map(Self.event)
            }
        }
    }

    public func purgeActivity(olderThan cutoff: Timestamp) async throws -> Int {
        try await guarded {
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM pier_activity WHERE at < ?", arguments: [cutoff.milliseconds])
                return db.changesCount
            }
        }
    }

    // MARK: sessions

    static func sessionRecord(_ row: Row) -> SessionRecord {
        SessionRecord(
            id: row["id"], endpoint: row["endpoint"], protocolVersion: row["protocol_version"],
            capabilities: [UInt8](row["capabilities"] as Data? ?? Data()), clientInfo: [UInt8](row["client_info"] as Data? ?? Data()),
            logLevel: row["log_level"], subscriptions: SessionRecord.subscriptions(from: row["subscriptions"]), createdAt: Timestamp(milliseconds: row["created_at"]),
            lastActiveAt: Timestamp(milliseconds: row["last_active_at"]))
    }

    public func saveSession(_ s: SessionRecord) async throws {
        try await guarded {
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO pier_sessions (id, endpoint, protocol_version, capabilities, client_info, log_level, subscriptions, created_at, last_active_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (id) DO UPDATE SET endpoint = excluded.endpoint, protocol_version = excluded.protocol_version,
                            capabilities = excluded.capabilities, client_info = excluded.client_info, log_level = excluded.log_level,
                            subscriptions = excluded.subscriptions, last_active_at = excluded.last_active_at
                        """,
                    arguments: [
                        s.id, s.endpoint, s.protocolVersion, Data(s.capabilities), Data(s.clientInfo), s.logLevel, s.subscriptionText,
                        s.createdAt.milliseconds, s.lastActiveAt.milliseconds,
                    ])
            }
        }
    }

    public func session(id: String) async throws -> SessionRecord? {
        try await guarded { try await pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM pier_sessions WHERE id = ?", arguments: [id]).map(Self.sessionRecord) } }
    }

    public func touchSession(id: String, at: Timestamp) async throws -> SessionRecord? {
        try await guarded {
            try await pool.write { db in
                try db.execute(sql: "UPDATE pier_sessions SET last_active_at = ? WHERE id = ?", arguments: [at.milliseconds, id])
                return try Row.fetchOne(db, sql: "SELECT * FROM pier_sessions WHERE id = ?", arguments: [id]).map(Self.sessionRecord)
            }
        }
    }

    public func deleteSession(id: String) async throws -> Bool {
        try await guarded {
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM pier_sessions WHERE id = ?", arguments: [id])
                return db.changesCount > 0
            }
        }
    }

    public func purgeSessions(idleSince cutoff: Timestamp) async throws -> Int {
        try await guarded {
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM pier_sessions WHERE last_active_at < ?", arguments: [cutoff.milliseconds])
                return db.changesCount
            }
        }
    }
}
