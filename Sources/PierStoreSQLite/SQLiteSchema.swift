import GRDB
import PierStore

/// The SQLite schema, as GRDB migrations. Identifiers are `v1`, `v2`, … and match ``StoreSchema``.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE pier_state (
                        namespace TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, version INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL, expires_at INTEGER, PRIMARY KEY (namespace, key));
                    CREATE INDEX pier_state_expires ON pier_state(expires_at) WHERE expires_at IS NOT NULL;
                    CREATE TABLE pier_servers (
                        id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, transport TEXT NOT NULL, config BLOB NOT NULL,
                        enabled INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, revision INTEGER NOT NULL);
                    CREATE TABLE pier_oauth_clients (
                        id TEXT PRIMARY KEY, name TEXT NOT NULL, redirect_uris TEXT NOT NULL, metadata BLOB NOT NULL,
                        secret_hash TEXT, created_at INTEGER NOT NULL);
                    CREATE TABLE pier_oauth_codes (
                        code_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL, subject TEXT NOT NULL, redirect_uri TEXT NOT NULL,
                        scopes TEXT NOT NULL, resource TEXT, code_challenge TEXT NOT NULL, expires_at INTEGER NOT NULL);
                    CREATE TABLE pier_oauth_tokens (
                        token_hash TEXT PRIMARY KEY, kind TEXT NOT NULL, client_id TEXT NOT NULL, subject TEXT NOT NULL,
                        scopes TEXT NOT NULL, resource TEXT, family_id TEXT NOT NULL, expires_at INTEGER NOT NULL, revoked INTEGER NOT NULL);
                    CREATE INDEX pier_oauth_tokens_family ON pier_oauth_tokens(family_id);
                    CREATE TABLE pier_api_keys (
                        id TEXT PRIMARY KEY, name TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE, prefix TEXT NOT NULL,
                        scopes TEXT NOT NULL, created_at INTEGER NOT NULL, revoked_at INTEGER);
                    CREATE TABLE pier_activity (
                        id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, server TEXT NOT NULL, tool TEXT NOT NULL,
                        duration_ms INTEGER NOT NULL, status TEXT NOT NULL, subject TEXT);
                    CREATE INDEX pier_activity_at ON pier_activity(at);
                    CREATE TABLE pier_sessions (
                        id TEXT PRIMARY KEY, protocol_version TEXT NOT NULL, capabilities BLOB NOT NULL, client_info BLOB NOT NULL,
                        created_at INTEGER NOT NULL, last_active_at INTEGER NOT NULL);
                    """)
        }
        // v2: the activity log holds admin changes too.
        migrator.registerMigration("v2") { db in
            try db.execute(
                sql: """
                    ALTER TABLE pier_activity ADD COLUMN kind TEXT NOT NULL DEFAULT 'tool_call';
                    ALTER TABLE pier_activity ADD COLUMN detail TEXT;
                    """)
        }
        // v3: Pier's users (the authorization server's sign-in).
        migrator.registerMigration("v3") { db in
            try db.execute(
                sql: """
                    CREATE TABLE pier_users (
                        name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, email TEXT, created_at INTEGER NOT NULL);
                    """)
        }
        // v4: the activity log read by kind, newest first. (Rate-limit buckets stay in memory with SQLite: one
        // instance.)
        migrator.registerMigration("v4") { db in
            try db.execute(sql: "CREATE INDEX pier_activity_kind ON pier_activity(kind, id);")
        }
        // v5: a session record holds everything an instance needs to serve it: its endpoint, log level and
        // subscriptions.
        migrator.registerMigration("v5") { db in
            try db.execute(
                sql: """
                    ALTER TABLE pier_sessions ADD COLUMN endpoint TEXT NOT NULL DEFAULT '/mcp';
                    ALTER TABLE pier_sessions ADD COLUMN log_level TEXT;
                    ALTER TABLE pier_sessions ADD COLUMN subscriptions TEXT NOT NULL DEFAULT '';
                    CREATE INDEX pier_sessions_idle ON pier_sessions(last_active_at);
                    """)
        }
        return migrator
    }
}
