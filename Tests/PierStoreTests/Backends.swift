import Foundation
import Logging
import PierStore
import PierStorePostgres
import PierStoreSQLite
import PostgresNIO
import Testing

/// The backends every conformance test runs against. PostgreSQL needs `PIER_TEST_DATABASE_URL` (scripts/test.sh
/// starts a throwaway server and sets it); it is left out only when `PIER_SKIP_POSTGRES=1` says so.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case memory, sqlite, postgres

    var testDescription: String { rawValue }

    static var enabled: [Backend] {
        ProcessInfo.processInfo.environment["PIER_SKIP_POSTGRES"] == "1" ? [.memory, .sqlite] : allCases
    }

    static var postgresURL: String? { ProcessInfo.processInfo.environment["PIER_TEST_DATABASE_URL"] }
}

/// A temporary directory removed afterwards.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let dir = NSTemporaryDirectory() + "pier-store-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    return try await body(dir)
}

/// Runs `body` with a migrated, empty store of the given kind.
func withStore(_ backend: Backend, _ body: (any StoreBackend) async throws -> Void) async throws {
    switch backend {
    case .memory:
        try await body(MemoryStore())
    case .sqlite:
        try await withTemporaryDirectory { dir in
            let store = try SQLiteStore(directory: dir)
            try await store.migrate()
            try await body(store)
        }
    case .postgres:
        try await withPostgresStore(body)
    }
}

/// Runs `body` with a migrated, empty PostgreSQL store in a database of its own.
func withPostgresStore(_ body: (PostgresStore) async throws -> Void) async throws {
    guard let url = Backend.postgresURL else {
        Issue.record("PIER_TEST_DATABASE_URL is not set: run the tests through scripts/test.sh, which starts PostgreSQL, or set PIER_SKIP_POSTGRES=1 to skip on purpose")
        return
    }
    try await withFreshPostgresDatabase(adminURL: url) { settings in
        let store = PostgresStore(settings: settings, logger: Logger(label: "test"))
        try await withRunningClient(store) {
            try await store.migrate()
            try await body(store)
        }
    }
}

/// Runs `body` while the store's connection pool runs.
@discardableResult
func withRunningClient<T: Sendable>(_ store: PostgresStore, _ body: () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await store.client.run() }
        defer { group.cancelAll() }
        return try await body()
    }
}

/// Runs one statement on the admin database (a client of its own: a `PostgresClient` runs once).
func adminExecute(_ adminURL: String, _ sql: String) async throws {
    let admin = PostgresStore(settings: try PostgresSettings(url: adminURL), logger: Logger(label: "test-admin"))
    try await withRunningClient(admin) { try await admin.client.query(.init(unsafeSQL: sql)) }
}

/// Creates a database of its own for one test and drops it afterwards.
func withFreshPostgresDatabase(adminURL: String, _ body: (PostgresSettings) async throws -> Void) async throws {
    let name = "pier_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
    try await adminExecute(adminURL, "CREATE DATABASE \(name)")
    var settings = try PostgresSettings(url: adminURL)
    settings.database = String(name)
    do {
        try await body(settings)
    } catch {
        try? await adminExecute(adminURL, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        throw error
    }
    try await adminExecute(adminURL, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
}
