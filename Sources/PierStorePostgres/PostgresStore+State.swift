import NIOCore
public import PierStore
import PostgresNIO

extension PostgresStore {
    typealias StateRow = (ByteBuffer, Int64, Int64, Int64?)

    static func entry(_ r: StateRow, namespace: String, key: String) -> StateEntry {
        StateEntry(
            namespace: namespace, key: key, value: r.0.bytes, version: r.1, updatedAt: Timestamp(milliseconds: r.2),
            expiresAt: r.3.map(Timestamp.init(milliseconds:)))
    }

    public func get(namespace: String, key: String) async throws -> StateEntry? {
        let now = Timestamp.now().milliseconds
        return try await guarded {
            let rows = try await pool.query(
                """
                SELECT value, version, updated_at, expires_at FROM pier_state
                WHERE namespace = \(namespace) AND key = \(key) AND (expires_at IS NULL OR expires_at > \(now))
                """, logger: logger)
            for try await r in rows.decode(StateRow.self) { return Self.entry(r, namespace: namespace, key: key) }
            return nil
        }
    }

    public func compareAndSet(namespace: String, key: String, expectedVersion: Int64?, value: [UInt8], ttl: Duration?) async throws -> CASResult {
        let now = Timestamp.now()
        let ms = now.milliseconds
        let expires = ttl.map { now.adding($0).milliseconds }
        let blob = value.buffer
        return try await guarded {
            // One statement decides and writes, so racing writers in any instance cannot both win.
            let rows: PostgresRows
            if let expectedVersion {
                rows = try await pool.query(
                    """
                    UPDATE pier_state SET value = \(blob), version = version + 1, updated_at = \(ms), expires_at = \(expires)
                    WHERE namespace = \(namespace) AND key = \(key) AND version = \(expectedVersion) AND (expires_at IS NULL OR expires_at > \(ms))
                    RETURNING version
                    """, logger: logger)
            } else {
                rows = try await pool.query(
                    """
                    INSERT INTO pier_state (namespace, key, value, version, updated_at, expires_at) VALUES (\(namespace), \(key), \(blob), 1, \(ms), \(expires))
                    ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, version = pier_state.version + 1,
                        updated_at = excluded.updated_at, expires_at = excluded.expires_at
                    WHERE pier_state.expires_at IS NOT NULL AND pier_state.expires_at <= \(ms)
                    RETURNING version
                    """, logger: logger)
            }
            for try await version in rows.decode(Int64.self) {
                return .written(
                    StateEntry(namespace: namespace, key: key, value: value, version: version, updatedAt: now, expiresAt: expires.map(Timestamp.init(milliseconds:))))
            }
            return .conflict(current: try await get(namespace: namespace, key: key))
        }
    }

    public func delete(namespace: String, key: String, expectedVersion: Int64?) async throws -> Bool {
        try await guarded {
            let rows: PostgresRows
            if let expectedVersion {
                rows = try await pool.query(
                    "DELETE FROM pier_state WHERE namespace = \(namespace) AND key = \(key) AND version = \(expectedVersion) RETURNING 1", logger: logger)
            } else {
                rows = try await pool.query("DELETE FROM pier_state WHERE namespace = \(namespace) AND key = \(key) RETURNING 1", logger: logger)
            }
            return rows.count() > 0
        }
    }

    public func purgeExpiredState(now: Timestamp) async throws -> Int {
        try await guarded {
            try await pool.query("DELETE FROM pier_state WHERE expires_at IS NOT NULL AND expires_at <= \(now.milliseconds) RETURNING 1", logger: logger).count()
        }
    }
}

