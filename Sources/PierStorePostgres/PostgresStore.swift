import Foundation
public import Logging
import NIOCore
import NIOSSL
import _ConnectionPoolModule
public import PierStore
public import PostgresNIO
public import ServiceLifecycle

/// The PostgreSQL backend: a pooled `PostgresClient` shared by every Pier instance.
///
/// The client is a `Service`: run ``service`` in the application's service group before using the store.
/// Compare-and-set is one statement, so it holds across processes and instances.
public final class PostgresStore: StoreBackend {
    /// postgres-nio's client: the service to run. The store's own queries go through ``pool``.
    public let client: PostgresClient
    /// The same pool, each query started on its connection's event loop once that connection is seen open there
    /// (see ``CheckedPool``).
    let pool: CheckedPool
    public let settings: PostgresSettings
    /// How long start-up (``migrate()``) waits for the server before giving up with a clear error.
    public let startupTimeout: Duration
    let logger: Logger

    public init(settings: PostgresSettings, logger: Logger, startupTimeout: Duration = .seconds(10)) {
        self.startupTimeout = startupTimeout
        let tls: PostgresClient.Configuration.TLS
        switch settings.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(.makeClientConfiguration())
        case .require: tls = .require(.makeClientConfiguration())
        }
        var config = PostgresClient.Configuration(
            host: settings.host, port: settings.port, username: settings.username, password: settings.password, database: settings.database, tls: tls)
        config.options.maximumConnections = settings.maxConnections
        config.options.connectTimeout = .seconds(5)
        self.client = PostgresClient(configuration: config, backgroundLogger: logger)
        self.pool = CheckedPool(client: client)
        self.settings = settings
        self.logger = logger
    }

    public var name: String { "postgres" }

    /// The connection pool, to run in the service group.
    public var service: some Service { client }

    /// Runs `body`, turning PostgreSQL errors into ``StoreError`` (without leaking query values).
    @discardableResult
    func guarded<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            throw error
        } catch {
            throw translate(error)
        }
    }

    /// The ``StoreError`` for a PostgreSQL failure.
    func translate(_ error: any Error) -> StoreError {
        switch error {
        case let error as StoreError: return error
        case let error as PSQLError:
            if error.serverInfo?[.sqlState] == "23505" { return StoreError(.duplicate, "a record with the same identity exists") }
            switch error.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown, .sslUnsupported:
                return unreachable(Self.describe(error))
            default:
                return StoreError(.backend, "PostgreSQL failed: \(Self.describe(error))")
            }
        case is CheckedPool.ConnectionClosed:
            return unreachable("the connection closed")
        case let error as ConnectionPoolError:
            // The pool's own errors: its circuit breaker after failed connection attempts, a pool shut down.
            return unreachable(Self.describe(error))
        default:
            return StoreError(.backend, "PostgreSQL failed: \(type(of: error))")
        }
    }

    /// The `.unavailable` error for PostgreSQL out of reach, saying `why`.
    func unreachable(_ why: String) -> StoreError {
        StoreError(.unavailable, "cannot reach PostgreSQL at \(settings.safeDescription): \(why)")
    }

    /// Runs `body`, failing with `.unavailable` if it takes longer than `timeout`.
    func withDeadline<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw StoreError(.unavailable, "cannot reach PostgreSQL at \(settings.safeDescription) within \(timeout)")
            }
            return value
        }
    }

    static func describe(_ error: ConnectionPoolError) -> String {
        switch error {
        case .connectionCreationCircuitBreakerTripped: "no connection could be made for a while (the pool stopped trying)"
        case .poolShutdown: "the connection pool has shut down"
        case .requestCancelled: "the request was cancelled"
        default: "the connection pool failed"
        }
    }

    static func describe(_ error: PSQLError) -> String {
        if let message = error.serverInfo?[.message] { return message }
        if let underlying = error.underlying { return "\(error.code): \(underlying)" }
        return "\(error.code)"
    }

    public func migrate() async throws {
        try await withDeadline(startupTimeout) { try await self.applyMigrations() }
    }

    func applyMigrations() async throws {
        try await guarded {
            try await pool.withTransaction(logger: logger) { conn in
                // One migrator at a time across every instance.
                try await conn.query("SELECT pg_advisory_xact_lock(7428190331)", logger: logger)
                try await conn.query(
                    "CREATE TABLE IF NOT EXISTS pier_schema_migrations (version INT PRIMARY KEY, applied_at BIGINT NOT NULL)", logger: logger)
                var applied = 0
                for try await v in try await conn.query("SELECT COALESCE(MAX(version), 0) FROM pier_schema_migrations", logger: logger).decode(Int.self) {
                    applied = v
                }
                if applied > StoreSchema.latest {
                    throw StoreError(
                        .schemaTooNew,
                        "the PostgreSQL database at \(settings.safeDescription) has schema version \(applied), newer than this Pier (\(StoreSchema.latest)); upgrade Pier")
                }
                for migration in PostgresSchema.migrations where migration.version > applied {
                    for statement in migration.statements { try await conn.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
                    try await conn.query(
                        "INSERT INTO pier_schema_migrations (version, applied_at) VALUES (\(migration.version), \(Timestamp.now().milliseconds))", logger: logger)
                }
            }
        }
    }

    public func schemaVersion() async throws -> (applied: Int, known: Int) {
        try await guarded {
            let exists = try await pool.query("SELECT to_regclass('pier_schema_migrations') IS NOT NULL", logger: logger)
            var hasTable = false
            for try await b in exists.decode(Bool.self) { hasTable = b }
            guard hasTable else { return (0, StoreSchema.latest) }
            var applied = 0
            for try await v in try await pool.query("SELECT COALESCE(MAX(version), 0) FROM pier_schema_migrations", logger: logger).decode(Int.self) {
                applied = v
            }
            return (applied, StoreSchema.latest)
        }
    }
}

extension ByteBuffer {
    var bytes: [UInt8] { Array(readableBytesView) }
}

extension Array where Element == UInt8 {
    var buffer: ByteBuffer { ByteBuffer(bytes: self) }
}
