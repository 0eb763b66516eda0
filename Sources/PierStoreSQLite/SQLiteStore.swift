import Foundation
import GRDB
public import PierStore

/// The SQLite backend: one database file in WAL mode, safe for several processes on one machine.
///
/// Committed writes survive a killed process (`kill -9`): WAL with `synchronous=NORMAL` loses at most the last
/// transactions on a power failure, never on a process crash. Writers wait up to `busyTimeout` for the lock.
public final class SQLiteStore: StoreBackend {
    let pool: DatabasePool
    public let path: String

    /// Opens (creating if needed) the database at `path`; its folder is created too.
    public init(path: String, busyTimeout: Duration = .seconds(10)) throws {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        var config = Configuration()
        config.busyMode = .timeout(TimeInterval(busyTimeout.components.seconds))
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            self.pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw StoreError(.unavailable, "cannot open the SQLite database at \(path): \(Self.describe(error))")
        }
    }

    /// The database file in `directory`.
    public convenience init(directory: String) throws {
        try self.init(path: directory + "/pier.sqlite")
    }

    public var name: String { "sqlite" }

    public func migrate() async throws {
        let migrator = SQLiteSchema.migrator
        try await guarded {
            if try await pool.read({ db in try migrator.hasBeenSuperseded(db) }) {
                throw StoreError(.schemaTooNew, "the SQLite database at \(path) has a newer schema than this Pier (\(StoreSchema.latest)); upgrade Pier")
            }
            try migrator.migrate(pool)
        }
    }

    public func schemaVersion() async throws -> (applied: Int, known: Int) {
        let applied = try await guarded { try await pool.read { db in try SQLiteSchema.migrator.appliedIdentifiers(db) } }
        let versions = applied.compactMap { Int($0.dropFirst()) }
        return (versions.max() ?? 0, StoreSchema.latest)
    }

    /// `PRAGMA integrity_check`; `"ok"` when the file is sound.
    public func integrityCheck() async throws -> String {
        try await guarded { try await pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "no answer" } }
    }

    /// Runs `body`, turning database errors into ``StoreError``.
    @discardableResult
    func guarded<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw StoreError(.duplicate, "a record with the same identity exists")
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw StoreError(.unavailable, "the SQLite database is locked by another writer")
        } catch {
            throw StoreError(.backend, "SQLite failed: \(Self.describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        if let db = error as? DatabaseError { return "\(db.resultCode): \(db.message ?? "")" }
        return "\(type(of: error))"
    }
}

extension SQLiteStore {
    /// Records a migration identifier as applied without running anything: lets tests stand in for a database
    /// written by a newer Pier.
    public func markAppliedForTesting(_ identifier: String) async throws {
        try await guarded { try await pool.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [identifier]) } }
    }
}
