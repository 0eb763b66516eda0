/// The PostgreSQL schema: the same tables as SQLite, in PostgreSQL types, one statement per entry.
enum PostgresSchema {
    static let migrations: [(version: Int, statements: [String])] = [
        (
            1,
            [
                """
                CREATE TABLE pier_state (
                    namespace TEXT NOT NULL, key TEXT NOT NULL, value BYTEA NOT NULL, version BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL, expires_at BIGINT, PRIMARY KEY (namespace, key))
                """,
                "CREATE INDEX pier_state_expires ON pier_state(expires_at) WHERE expires_at IS NOT NULL",
                """
                CREATE TABLE pier_servers (
                    id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, transport TEXT NOT NULL, config BYTEA NOT NULL,
                    enabled BOOLEAN NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, revision BIGINT NOT NULL)
                """,
                """
                CREATE TABLE pier_oauth_clients (
                    id TEXT PRIMARY KEY, name TEXT NOT NULL, redirect_uris TEXT NOT NULL, metadata BYTEA NOT NULL,
                    secret_hash TEXT, created_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE pier_oauth_codes (
                    code_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL, subject TEXT NOT NULL, redirect_uri TEXT NOT NULL,
                    scopes TEXT NOT NULL, resource TEXT, code_challenge TEXT NOT NULL, expires_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE pier_oauth_tokens (
                    token_hash TEXT PRIMARY KEY, kind TEXT NOT NULL, client_id TEXT NOT NULL, subject TEXT NOT NULL,
                    scopes TEXT NOT NULL, resource TEXT, family_id TEXT NOT NULL, expires_at BIGINT NOT NULL, revoked BOOLEAN NOT NULL)
                """,
                "CREATE INDEX pier_oauth_tokens_family ON pier_oauth_tokens(family_id)",
                """
                CREATE TABLE pier_api_keys (
                    id TEXT PRIMARY KEY, name TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE, prefix TEXT NOT NULL,
                    scopes TEXT NOT NULL, created_at BIGINT NOT NULL, revoked_at BIGINT)
                """,
                """
                CREATE TABLE pier_activity (
                    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at BIGINT NOT NULL, server TEXT NOT NULL, tool TEXT NOT NULL,
                    duration_ms BIGINT NOT NULL, status TEXT NOT NULL, subject TEXT)
                """,
                "CREATE INDEX pier_activity_at ON pier_activity(at)",
                """
                CREATE TABLE pier_sessions (
                    id TEXT PRIMARY KEY, protocol_version TEXT NOT NULL, capabilities BYTEA NOT NULL, client_info BYTEA NOT NULL,
                    created_at BIGINT NOT NULL, last_active_at BIGINT NOT NULL)
                """,
            ]
        ),
        (
            2,
            [
                "ALTER TABLE pier_activity ADD COLUMN kind TEXT NOT NULL DEFAULT 'tool_call'",
                "ALTER TABLE pier_activity ADD COLUMN detail TEXT",
            ]
        ),
        (
            3,
            ["CREATE TABLE pier_users (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, email TEXT, created_at BIGINT NOT NULL)"]
        ),
        (
            4,
            [
                // Rate-limit buckets every instance shares (milliseconds since 1970, on the database's clock).
                "CREATE TABLE pier_rate_buckets (key TEXT PRIMARY KEY, tokens DOUBLE PRECISION NOT NULL, updated_at DOUBLE PRECISION NOT NULL, granted BOOLEAN NOT NULL)",
                // The activity log read by kind (tool calls, auth events, admin changes), newest first.
                "CREATE INDEX pier_activity_kind ON pier_activity(kind, id)",
            ]
        ),
        (
            5,
            [
                // A session record holds everything an instance needs to serve it.
                "ALTER TABLE pier_sessions ADD COLUMN endpoint TEXT NOT NULL DEFAULT '/mcp'",
                "ALTER TABLE pier_sessions ADD COLUMN log_level TEXT",
                "ALTER TABLE pier_sessions ADD COLUMN subscriptions TEXT NOT NULL DEFAULT ''",
                "CREATE INDEX pier_sessions_idle ON pier_sessions(last_active_at)",
            ]
        ),
    ]
}
