import NIOCore
public import PierStore
import PostgresNIO

extension PostgresStore {
    typealias ClientRow = (String, String, String, ByteBuffer, String?, Int64)
    typealias CodeRow = (String, String, String, String, String, String?, String, Int64)
    typealias TokenRow = (String, String, String, String, String, String?, String, Int64, Bool)

    static func token(_ r: TokenRow) -> TokenRecord {
        TokenRecord(
            tokenHash: SecretHash(hex: r.0), kind: TokenRecord.Kind(rawValue: r.1) ?? .access, clientID: r.2, subject: r.3, scopes: ListColumn.decode(r.4),
            resource: r.5, familyID: r.6, expiresAt: Timestamp(milliseconds: r.7), revoked: r.8)
    }

    public func createClient(_ c: OAuthClientRecord) async throws {
        try await guarded {
            try await pool.query(
                """
                INSERT INTO pier_oauth_clients (id, name, redirect_uris, metadata, secret_hash, created_at)
                VALUES (\(c.id), \(c.name), \(ListColumn.encode(c.redirectURIs)), \(c.metadata.buffer), \(c.secretHash?.hex), \(c.createdAt.milliseconds))
                """, logger: logger)
        }
    }

    static func client(_ r: ClientRow) -> OAuthClientRecord {
        OAuthClientRecord(
            id: r.0, name: r.1, redirectURIs: ListColumn.decode(r.2), metadata: r.3.bytes, secretHash: r.4.map(SecretHash.init(hex:)),
            createdAt: Timestamp(milliseconds: r.5))
    }

    public func client(id: String) async throws -> OAuthClientRecord? {
        try await guarded {
            let rows = try await pool.query(
                "SELECT id, name, redirect_uris, metadata, secret_hash, created_at FROM pier_oauth_clients WHERE id = \(id)", logger: logger)
            for try await r in rows.decode(ClientRow.self) { return Self.client(r) }
            return nil
        }
    }

    public func listClients() async throws -> [OAuthClientRecord] {
        try await guarded {
            let rows = try await pool.query(
                "SELECT id, name, redirect_uris, metadata, secret_hash, created_at FROM pier_oauth_clients ORDER BY created_at, id", logger: logger)
            var found: [OAuthClientRecord] = []
            for try await r in rows.decode(ClientRow.self) { found.append(Self.client(r)) }
            return found
        }
    }

    public func liveTokens(now: Timestamp) async throws -> [TokenRecord] {
        try await guarded {
            let rows = try await pool.query(
                """
                SELECT token_hash, kind, client_id, subject, scopes, resource, family_id, expires_at, revoked FROM pier_oauth_tokens
                WHERE revoked = FALSE AND expires_at > \(now.milliseconds) ORDER BY token_hash
                """, logger: logger)
            var found: [TokenRecord] = []
            for try await r in rows.decode(TokenRow.self) { found.append(Self.token(r)) }
            return found
        }
    }

    public func deleteClient(id: String) async throws -> Bool {
        try await guarded { try await pool.query("DELETE FROM pier_oauth_clients WHERE id = \(id) RETURNING 1", logger: logger).count() > 0 }
    }

    public func saveCode(_ c: AuthorizationCodeRecord) async throws {
        try await guarded {
            try await pool.query(
                """
                INSERT INTO pier_oauth_codes (code_hash, client_id, subject, redirect_uri, scopes, resource, code_challenge, expires_at)
                VALUES (\(c.codeHash.hex), \(c.clientID), \(c.subject), \(c.redirectURI), \(ListColumn.encode(c.scopes)), \(c.resource), \(c.codeChallenge), \(c.expiresAt.milliseconds))
                """, logger: logger)
        }
    }

    public func consumeCode(_ hash: SecretHash, now: Timestamp) async throws -> AuthorizationCodeRecord? {
        try await guarded {
            let rows = try await pool.query(
                """
                DELETE FROM pier_oauth_codes WHERE code_hash = \(hash.hex)
                RETURNING code_hash, client_id, subject, redirect_uri, scopes, resource, code_challenge, expires_at
                """, logger: logger)
            for try await r in rows.decode(CodeRow.self) {
                let code = AuthorizationCodeRecord(
                    codeHash: SecretHash(hex: r.0), clientID: r.1, subject: r.2, redirectURI: r.3, scopes: ListColumn.decode(r.4), resource: r.5,
                    codeChallenge: r.6, expiresAt: Timestamp(milliseconds: r.7))
                return code.expiresAt > now ? code : nil
            }
            return nil
        }
    }

    public func saveToken(_ t: TokenRecord) async throws {
        try await guarded { try await pool.query(Self.insertToken(t), logger: logger) }
    }

    static func insertToken(_ t: TokenRecord) -> PostgresQuery {
        """
        INSERT INTO pier_oauth_tokens (token_hash, kind, client_id, subject, scopes, resource, family_id, expires_at, revoked)
        VALUES (\(t.tokenHash.hex), \(t.kind.rawValue), \(t.clientID), \(t.subject), \(ListColumn.encode(t.scopes)), \(t.resource), \(t.familyID), \(t.expiresAt.milliseconds), \(t.revoked))
        """
    }

    public func token(_ hash: SecretHash) async throws -> TokenRecord? {
        try await guarded {
            let rows = try await pool.query(
                """
                SELECT token_hash, kind, client_id, subject, scopes, resource, family_id, expires_at, revoked FROM pier_oauth_tokens
                WHERE token_hash = \(hash.hex)
                """, logger: logger)
            for try await r in rows.decode(TokenRow.self) { return Self.token(r) }
            return nil
        }
    }

    public func rotateRefreshToken(_ old: SecretHash, replacement: TokenRecord, now: Timestamp) async throws -> Bool {
        try await guarded {
            try await pool.withTransaction(logger: logger) { conn in
                let revoked = try await conn.query(
                    """
                    UPDATE pier_oauth_tokens SET revoked = TRUE
                    WHERE token_hash = \(old.hex) AND kind = 'refresh' AND revoked = FALSE AND expires_at > \(now.milliseconds) RETURNING 1
                    """, logger: logger
                ).count()
                guard revoked == 1 else { return false }
                try await conn.query(Self.insertToken(replacement), logger: logger)
                return true
            }
        }
    }

    public func revokeFamily(_ familyID: String) async throws -> Int {
        try await guarded {
            try await pool.query(
                "UPDATE pier_oauth_tokens SET revoked = TRUE WHERE family_id = \(familyID) AND revoked = FALSE RETURNING 1", logger: logger
            ).count()
        }
    }

    public func purgeExpiredGrants(now: Timestamp) async throws -> Int {
        try await guarded {
            let codes = try await pool.query("DELETE FROM pier_oauth_codes WHERE expires_at <= \(now.milliseconds) RETURNING 1", logger: logger).count()
            let tokens = try await pool.query("DELETE FROM pier_oauth_tokens WHERE expires_at <= \(now.milliseconds) RETURNING 1", logger: logger).count()
            return codes + tokens
        }
    }
}
