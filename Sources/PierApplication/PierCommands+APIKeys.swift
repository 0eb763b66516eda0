import Logging
import PierAdminAPI
import PierStore
import ServiceLifecycle

extension PierCommands {
    /// Runs `body` against the configured store, migrated (the PostgreSQL pool runs only meanwhile).
    static func withStore<T: Sendable>(_ settings: PierConfiguration, _ body: @Sendable (any StoreBackend) async throws -> T) async throws(StartupError) -> T {
        let logger = Logger(label: "pier")
        do {
            let storage = try buildStorage(settings, logger: logger)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                if let service = storage.service { group.addTask { try await service.run() } }
                defer { group.cancelAll() }
                try await prepare(storage.backend, migrate: true, logger: logger)
                return try await body(storage.backend)
            }
        } catch let error as AdminError {
            throw StartupError(error.message, exitCode: error.code == "conflict" || error.code == "invalid_request" || error.code == "not_found" ? 65 : 69)
        } catch {
            throw startupError(error)
        }
    }

    /// `pier apikey create NAME`: the new key, shown this once.
    public static func createAPIKey(_ settings: PierConfiguration, name: String) async throws(StartupError) -> String {
        try await withStore(settings) { store in
            let created = try await APIKeys.create(name: name, in: store)
            return created.key
        }
    }

    /// `pier apikey list`: a table of the keys (names and prefixes, never the keys).
    public static func listAPIKeys(_ settings: PierConfiguration) async throws(StartupError) -> String {
        let keys = try await withStore(settings) { store in try await store.listAPIKeys() }
        var rows = [["NAME", "PREFIX", "CREATED", "REVOKED"]]
        if settings.adminAPIKey != nil { rows.append([APIKeys.bootstrapName, "(environment)", "-", "-"]) }
        for key in keys {
            rows.append([
                key.name, key.prefix + "…", ISOTime.string(milliseconds: key.createdAt.milliseconds),
                key.revokedAt.map { ISOTime.string(milliseconds: $0.milliseconds) } ?? "-",
            ])
        }
        return TextTable.render(rows)
    }

    /// `pier apikey revoke NAME`.
    public static func revokeAPIKey(_ settings: PierConfiguration, name: String) async throws(StartupError) -> String {
        let revoked = try await withStore(settings) { store in try await APIKeys.revoke(name, in: store) }
        return "revoked \(revoked.name) (\(revoked.prefix)…)"
    }
}

/// Plain-text tables for the command line: columns padded to their widest cell.
enum TextTable {
    static func render(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            row.enumerated().map { i, cell in i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count) }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
