public import PierStore
import PostgresNIO

extension PostgresStore {
    typealias UserRow = (String, String, String?, Int64)

    static func user(_ r: UserRow) -> UserRecord { UserRecord(name: r.0, passwordHash: r.1, email: r.2, createdAt: Timestamp(milliseconds: r.3)) }

    public func createUser(_ u: UserRecord) async throws {
        try await guarded {
            try await pool.query(
                "INSERT INTO pier_users (name, password_hash, email, created_at) VALUES (\(u.name), \(u.passwordHash), \(u.email), \(u.createdAt.milliseconds))",
                logger: logger)
        }
    }

    public func user(name: String) async throws -> UserRecord? {
        try await guarded {
            let rows = try await pool.query("SELECT name, password_hash, email, created_at FROM pier_users WHERE name = \(name)", logger: logger)
            for try await r in rows.decode(UserRow.self) { return Self.user(r) }
            return nil
        }
    }

    public func listUsers() async throws -> [UserRecord] {
        try await guarded {
            var out: [UserRecord] = []
            let rows = try await pool.query("SELECT name, password_hash, email, created_at FROM pier_users ORDER BY name", logger: logger)
            for try await r in rows.decode(UserRow.self) { out.append(Self.user(r)) }
            return out
        }
    }

    public func setPassword(name: String, passwordHash: String) async throws -> Bool {
        try await guarded {
            try await pool.query("UPDATE pier_users SET password_hash = \(passwordHash) WHERE name = \(name) RETURNING 1", logger: logger).count() > 0
        }
    }

    public func deleteUser(name: String) async throws -> Bool {
        try await guarded { try await pool.query("DELETE FROM pier_users WHERE name = \(name) RETURNING 1", logger: logger).count() > 0 }
    }
}
