import Foundation
public import PierStore

/// Where the PostgreSQL backend connects: from `DATABASE_URL` (`postgres://user:pass@host:5432/db?sslmode=require`)
/// or from the libpq variables `PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`, `PGSSLMODE`.
public struct PostgresSettings: Sendable, Equatable {
    public enum TLSMode: String, Sendable { case disable, prefer, require }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String?
    public var tls: TLSMode
    /// Connections in the pool at most.
    public var maxConnections: Int

    public init(host: String, port: Int = 5432, username: String, password: String? = nil, database: String? = nil, tls: TLSMode = .prefer, maxConnections: Int = 20) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
        self.maxConnections = maxConnections
    }

    /// Parses a `postgres://` or `postgresql://` URL.
    public init(url text: String) throws(StoreError) {
        guard let url = URLComponents(string: text), let scheme = url.scheme, scheme == "postgres" || scheme == "postgresql" else {
            throw StoreError(.misconfigured, "DATABASE_URL must look like postgres://user:password@host:5432/database")
        }
        guard let host = url.host, !host.isEmpty else { throw StoreError(.misconfigured, "DATABASE_URL has no host") }
        var tls = TLSMode.prefer
        var maxConnections = 20
        for item in url.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                switch item.value {
                case "disable"?: tls = .disable
                case "allow"?, "prefer"?: tls = .prefer
                case "require"?, "verify-ca"?, "verify-full"?: tls = .require
                default: throw StoreError(.misconfigured, "DATABASE_URL sslmode must be disable, prefer or require")
                }
            case "max_connections":
                guard let n = item.value.flatMap(Int.init), n > 0 else { throw StoreError(.misconfigured, "DATABASE_URL max_connections must be a positive integer") }
                maxConnections = n
            default: continue
            }
        }
        let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        self.init(
            host: host, port: url.port ?? 5432, username: url.user ?? "postgres", password: url.password, database: path.isEmpty ? nil : path, tls: tls,
            maxConnections: maxConnections)
    }

    /// Reads `DATABASE_URL`, else the `PG*` variables; `nil` when neither names a host.
    public static func from(environment env: [String: String]) throws(StoreError) -> PostgresSettings? {
        if let url = env["DATABASE_URL"], !url.isEmpty { return try PostgresSettings(url: url) }
        guard let host = env["PGHOST"], !host.isEmpty else { return nil }
        var port = 5432
        if let p = env["PGPORT"] {
            guard let n = Int(p), (1...65535).contains(n) else { throw StoreError(.misconfigured, "PGPORT must be a port number") }
            port = n
        }
        var tls = TLSMode.prefer
        if let mode = env["PGSSLMODE"] {
            guard let m = TLSMode(rawValue: mode == "allow" ? "prefer" : mode == "verify-full" || mode == "verify-ca" ? "require" : mode) else {
                throw StoreError(.misconfigured, "PGSSLMODE must be disable, prefer or require")
            }
            tls = m
        }
        return PostgresSettings(host: host, port: port, username: env["PGUSER"] ?? "postgres", password: env["PGPASSWORD"], database: env["PGDATABASE"], tls: tls)
    }

    /// `host:port/database`, without credentials, for messages.
    public var safeDescription: String { "\(host):\(port)/\(database ?? username)" }
}
