import Foundation
import GRDB
public import PierStore

extension SQLiteStore {
    static let selectLive =
        "SELECT value, version, updated_at, expires_at FROM pier_state WHERE namespace = ? AND key = ? AND (expires_at IS NULL OR expires_at > ?)"
    static let updateIfVersion = """
        UPDATE pier_state SET value = ?, version = version + 1, updated_at = ?, expires_at = ?
        WHERE namespace = ? AND key = ? AND version = ? AND (expires_at IS NULL OR expires_at > ?) RETURNING version
        """
    static let insertIfAbsent = """
        INSERT INTO pier_state (namespace, key, value, version, updated_at, expires_at) VALUES (?, ?, ?, 1, ?, ?)
        ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, version = pier_state.version + 1,
            updated_at = excluded.updated_at, expires_at = excluded.expires_at
        WHERE pier_state.expires_at IS NOT NULL AND pier_state.expires_at <= ? RETURNING version
        """

    static func entry(_ row: Row, namespace: String, key: String) -> StateEntry {
        StateEntry(
            namespace: namespace, key: key, value: [UInt8](row["value"] as Data? ?? Data()), version: row["version"],
            updatedAt: Timestamp(milliseconds: row["updated_at"]), expiresAt: (row["expires_at"] as Int64?).map(Timestamp.init(milliseconds:)))
    }

    public func get(namespace: String, key: String) async throws -> StateEntry? {
        let now = Timestamp.now().milliseconds
        return try await guarded {
            try await pool.read { db in
                try Row.fetchOne(db.cachedStatement(sql: Self.selectLive), arguments: [namespace, key, now]).map { Self.entry($0, namespace: namespace, key: key) }
            }
        }
    }

    public func compareAndSet(namespace: String, key: String, expectedVersion: Int64?, value: [UInt8], ttl: Duration?) async throws -> CASResult {
        let now = Timestamp.now()
        let expires = ttl.map { now.adding($0).milliseconds }
        let blob = Data(value)
        return try await guarded {
            try await pool.write { db -> CASResult in
                // One statement decides and writes, so racing writers (even in other processes) cannot both win.
                let written: Int64?
                if let expectedVersion {
                    written = try Int64.fetchOne(
                        db.cachedStatement(sql: Self.updateIfVersion),
                        arguments: [blob, now.milliseconds, expires, namespace, key, expectedVersion, now.milliseconds])
                } else {
                    written = try Int64.fetchOne(
                        db.cachedStatement(sql: Self.insertIfAbsent),
                        arguments: [namespace, key, blob, now.milliseconds, expires, now.milliseconds])
                }
                if let written {
                    return .written(
                        StateEntry(namespace: namespace, key: key, value: value, version: written, updatedAt: now, expiresAt: expires.map(Timestamp.init(milliseconds:))))
                }
                let current = try Row.fetchOne(db.cachedStatement(sql: Self.selectLive), arguments: [namespace, key, now.milliseconds])
                return .conflict(current: current.map { Self.entry($0, namespace: namespace, key: key) })
            }
        }
    }

    public func delete(namespace: String, key: String, expectedVersion: Int64?) async throws -> Bool {
        try await guarded {
            try await pool.write { db in
                if let expectedVersion {
                    try db.execute(sql: "DELETE FROM pier_state WHERE namespace = ? AND key = ? AND version = ?", arguments: [namespace, key, expectedVersion])
                } else {
                    try db.execute(sql: "DELETE FROM pier_state WHERE namespace = ? AND key = ?", arguments: [namespace, key])
                }
                return db.changesCount > 0
            }
        }
    }

    public func purgeExpiredState(now: Timestamp) async throws -> Int {
        try await guarded {
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM pier_state WHERE expires_at IS NOT NULL AND expires_at <= ?", arguments: [now.milliseconds])
                return db.changesCount
            }
        }
    }
}
