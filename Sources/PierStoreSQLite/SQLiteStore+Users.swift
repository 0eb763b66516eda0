import GRDB
public import PierStore

extension SQLiteStore {
    static func user(_ row: Row) -> UserRecord {
        UserRecord(name: row["name"], passwordHash: row["password_hash"], email: row["email"], createdAt: Timestamp(milliseconds: row["created_at"]))
    }

    public func createUser(_ u: UserRecord) async throws {
        try await guarded {
            try await pool.write { db in
                try db.execute(
                    sql: "INSERT INTO pier_users (name, password_hash, email, created_at) VALUES (?, ?, ?, ?)",
                    arguments: [u.name, u.passwordHash, u.email, u.createdAt.milliseconds])
            }
        }
    }

    public func user(name: String) async throws -> UserRecord? {
        try await guarded { try await pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM pier_users WHERE name = ?", arguments: [name]).map(Self.user) } }
    }

    public func listUsers() async throws -> [UserRecord] {
        try await guarded { try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM pier_users ORDER BY name").map(Self.user) } }
    }

    public func setPassword(name: String, passwordHash: String) async throws -> Bool {
        try await guarded {
            try await pool.write { db in
                try db.execute(sql: "UPDATE pier_users SET password_hash = ? WHERE name = ?", arguments: [passwordHash, name])
                return db.changesCount > 0
            }
        }
    }

    public func deleteUser(name: String) async throws -> Bool {
        try await guarded {
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM pier_users WHERE name = ?", arguments: [name])
                return db.changesCount > 0
            }
        }
    }
}
