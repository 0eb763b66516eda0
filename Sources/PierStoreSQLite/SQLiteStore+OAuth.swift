import Foundation
import GRDB
public import PierStore

extension SQLiteStore {
    static func client(_ row: Row) -> OAuthClientRecord {
        OAuthClientRecord(
            id: row["id"], name: row["name"], redirectURIs: ListColumn.decode(row["redirect_uris"]), metadata: [UInt8](row["metadata"] as Data? ?? Data()),
            secretHash: (row["secret_hash"] as String?).map(SecretHash.init(hex:)), createdAt: Timestamp(milliseconds: row["created_at"]))
    }

    static func code(_ row: Row) -> AuthorizationCodeRecord {
        AuthorizationCodeRecord(
            codeHash: SecretHash(hex: row["code_hash"]), clientID: row["client_id"], subject: row["subject"], redirectURI: row["redirect_uri"],
            scopes: ListColumn.decode(row["scopes"]), resource: row["resource"], codeChallenge: row["code_challenge"],
            expiresAt: Timestamp(milliseconds: row["expires_at"]))
    }

    static func token(_ row: Row) -> TokenRecord {
        TokenRecord(
            tokenHash: SecretHash(hex: row["token_hash"]), kind: TokenRecord.Kind(rawValue: row["kind"]) ?? .access, clientID: row["client_id"],
            subject: row["subject"], scopes: ListColumn.decode(row["scopes"]), resource: row["resource"], familyID: row["family_id"],
            expiresAt: Timestamp(milliseconds: row["expires_at"]), revoked: row["revoked"])
    }

    public func createClient(_ c: OAuthClientRecord) async throws {
        try await guarded {
            try await pool.write { db in
                try db.execute(
                    sql: "INSERT INTO pier_oauth_clients (id, name, redirect_uris, metadata, secret_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [c.id, c.name, ListColumn.encode(c.redirectURIs), Data(c.metadata), c.secretHash?.hex, c.createdAt.milliseconds])
            }
        }
    }

    public func client(id: String) async throws -> OAuthClientRecord? {
        try await guarded { try await pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM pier_oauth_clients WHERE id = ?", arguments: [id]).map(Self.client) } }
    }

    public func listClients() async throws -> [OAuthClientRecord] {
        try await guarded { try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM pier_oauth_clients ORDER BY created_at, id").map(Self.client) } }
    }

    public func liveTokens(now: Timestamp) async throws -> [TokenRecord] {
        try await guarded {
            try await pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM pier_oauth_tokens WHERE revoked = 0 AND expires_at > ? ORDER BY token_hash", arguments: [now.milliseconds]).map(Self.token)
            }
        }
    }

    public func deleteClient(id: String) async throws -> Bool {
        try await guarded {
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM pier_oauth_clients WHERE id = ?", arguments: [id])
                return db.changesCount > 0
            }
        }
    }

    public func saveCode(_ c: AuthorizationCodeRecord) async throws {
        try await guarded {
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO pier_oauth_codes (code_hash, client_id, subject, redirect_uri, scopes, resource, code_challenge, expires_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [c.codeHash.hex, c.clientID, c.subject, c.redirectURI, ListColumn.encode(c.scopes), c.resource, c.codeChallenge, c.expiresAt.milliseconds])
            }
        }
    }

    public func consumeCode(_ hash: SecretHash, now: Timestamp) async throws -> AuthorizationCodeRecord? {
        try await guarded {
            try await pool.write { db in
                let row = try Row.fetchOne(db, sql: "DELETE FROM pier_oauth_codes WHERE code_hash = ? RETURNING *", arguments: [hash.hex])
                return row.map(Self.code).flatMap { $0.expiresAt > now ? $0 : nil }
            }
        }
    }

    public func saveToken(_ t: TokenRecord) async throws {
        try await guarded { try await pool.write { db in try Self.insertToken(t, db) } }
    }

    static func insertToken(_ t: TokenRecord, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO pier_oauth_tokens (token_hash, kind, client_id, subject, scopes, resource, family_id, expires_at, revoked)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [t.tokenHash.hex, t.kind.rawValue, t.clientID, t.subject, ListColumn.encode(t.scopes), t.resource, t.familyID, t.expiresAt.milliseconds, t.revoked])
    }

    public func token(_ hash: SecretHash) async throws -> TokenRecord? {
        try await guarded { try await pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM pier_oauth_tokens WHERE token_hash = ?", arguments: [hash.hex]).map(Self.token) } }
    }

    public func rotateRefreshToken(_ old: SecretHash, replacement: TokenRecord, now: Timestamp) async throws -> Bool {
        try await guarded {
            try await pool.write { db in
                try db.execute(
                    sql: "UPDATE pier_oauth_tokens SET revoked = 1 WHERE token_hash = ? AND kind = 'refresh' AND revoked = 0 AND expires_at > ?",
                    arguments: [old.hex, now.milliseconds])
                guard db.changesCount == 1 else { return false }
                try Self.insertToken(replacement, db)
                return true
            }
        }
    }

    public func revokeFamily(_ familyID: String) async throws -> Int {
        try await guarded {
            try await pool.write { db in
                try db.execute(sql: "UPDATE pier_oauth_tokens SET revoked = 1 WHERE family_id = ? AND revoked = 0", arguments: [familyID])
                return db.changesCount
            }
        }
    }

    public func purgeExpiredGrants(now: Timestamp) async throws -> Int {
        try await guarded {
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM pier_oauth_codes WHERE expires_at <= ?", arguments: [now.milliseconds])
                let codes = db.changesCount
                try db.execute(sql: "DELETE FROM pier_oauth_tokens WHERE expires_at <= ?", arguments: [now.milliseconds])
                return codes + db.changesCount
            }
        }
    }
}
