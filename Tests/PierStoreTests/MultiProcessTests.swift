import Foundation
import Logging
import PierStore
import PierStorePostgres
import PierStoreSQLite
import PostgresNIO
import Testing

/// Stores shared by separate processes: racing writers, and a writer killed with SIGKILL.
@Suite(.serialized) struct MultiProcessTests {
    /// The StoreProbe helper, built beside the test bundle.
    static var probe: String {
        if let path = ProcessInfo.processInfo.environment["PIER_STORE_PROBE"] { return path }
        let bundle = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent()
        return bundle.appendingPathComponent("StoreProbe").path
    }

    /// Starts the probe; stdout is a pipe.
    static func launch(_ arguments: [String]) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: probe)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        return (process, out)
    }

    static func finish(_ process: Process, _ out: Pipe) -> [String] {
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Two processes race: exactly one creates `race/first`, and no increment of `race/counter` is lost.
    func race(store: [String], check: () async throws -> StateEntry?) async throws {
        let increments = 150
        let start = Timestamp.now().milliseconds + 700
        let a = try Self.launch(["race"] + store + [String(start), String(increments)])
        let b = try Self.launch(["race"] + store + [String(start), String(increments)])
        let outA = Self.finish(a.0, a.1)
        let outB = Self.finish(b.0, b.1)
        #expect(a.0.terminationStatus == 0 && b.0.terminationStatus == 0)
        let firsts = (outA + outB).filter { $0.hasPrefix("first ") }
        #expect(firsts.sorted() == ["first lost", "first won"], "exactly one process creates the key")
        let wins = (outA + outB).compactMap { line -> Int? in
            guard line.hasPrefix("wins ") else { return nil }
            return Int(line.split(separator: " ")[1])
        }
        #expect(wins == [increments, increments])
        let counter = try await check()
        #expect(counter.map { String(decoding: $0.value, as: UTF8.self) } == String(2 * increments))
        #expect(counter?.version == Int64(2 * increments))
    }

    @Test func twoProcessesRaceOnSQLite() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/race.sqlite"
            let store = try SQLiteStore(path: path)
            try await store.migrate()
            try await race(store: ["--sqlite", path]) { try await store.get(namespace: "race", key: "counter") }
        }
    }

    @Test(.enabled(if: Backend.enabled.contains(.postgres))) func twoProcessesRaceOnPostgres() async throws {
        guard let admin = Backend.postgresURL else {
            Issue.record("PIER_TEST_DATABASE_URL is not set (set PIER_SKIP_POSTGRES=1 to skip on purpose)")
            return
        }
        try await withFreshPostgresDatabase(adminURL: admin) { settings in
            let url = "postgres://\(settings.username)@\(settings.host):\(settings.port)/\(settings.database!)?sslmode=disable"
            let store = PostgresStore(settings: settings, logger: .init(label: "test"))
            try await withRunningClient(store) {
                try await store.migrate()
                try await race(store: ["--postgres", url]) { try await store.get(namespace: "race", key: "counter") }
            }
        }
    }

    /// A writer killed mid-burst loses nothing it acknowledged, and the file stays sound.
    @Test func killDuringWriteBurstLosesNoAcknowledgedWrite() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/crash.sqlite"
            let (process, out) = try Self.launch(["burst", "--sqlite", path, "1000000"])
            var acked: [Int] = []
            var pending = Data()
            let handle = out.fileHandleForReading
            while acked.count < 400 {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                if let text = String(data: pending, encoding: .utf8), let cut = text.lastIndex(of: "\n") {
                    acked += text[..<cut].split(separator: "\n").compactMap { $0.hasPrefix("ack ") ? Int($0.dropFirst(4)) : nil }
                    pending = Data(text[text.index(after: cut)...].utf8)
                }
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            // Lines written before the kill are acknowledged writes too.
            let rest = String(decoding: pending + handle.readDataToEndOfFile(), as: UTF8.self)
            acked += rest.split(separator: "\n").compactMap { $0.hasPrefix("ack ") ? Int($0.dropFirst(4)) : nil }
            #expect(process.terminationReason == .uncaughtSignal)
            #expect(acked.count >= 400)

            let reopened = try SQLiteStore(path: path)
            try await reopened.migrate()
            #expect(try await reopened.integrityCheck() == "ok")
            var missing: [Int] = []
            for i in acked where try await reopened.get(namespace: "burst", key: String(i)) == nil { missing.append(i) }
            #expect(missing.isEmpty, "acknowledged writes lost: \(missing.prefix(10))")
        }
    }

    /// A database written by a newer Pier is refused with a clear message.
    @Test func newerSchemaIsRefused() async throws {
        try await withTemporaryDirectory { dir in
            let store = try SQLiteStore(directory: dir)
            try await store.migrate()
            try await store.markAppliedForTesting("v\(StoreSchema.latest + 1)")
            await #expect {
                try await SQLiteStore(directory: dir).migrate()
            } throws: { error in
                (error as? StoreError)?.kind == .schemaTooNew && "\(error)".contains("upgrade Pier")
            }
        }
        if let admin = Backend.postgresURL {
            try await withFreshPostgresDatabase(adminURL: admin) { settings in
                let store = PostgresStore(settings: settings, logger: .init(label: "test"))
                try await withRunningClient(store) {
                    try await store.migrate()
                    try await store.client.query("INSERT INTO pier_schema_migrations (version, applied_at) VALUES (\(StoreSchema.latest + 1), 0)")
                    await #expect { try await store.migrate() } throws: { ($0 as? StoreError)?.kind == .schemaTooNew }
                }
            }
        }
    }

    @Test func unreachablePostgresIsAClearError() async throws {
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical  // the pool logs every failed connection attempt
        let store = PostgresStore(
            settings: PostgresSettings(host: "127.0.0.1", port: 1, username: "postgres", tls: .disable), logger: quiet, startupTimeout: .seconds(2))
        try await withRunningClient(store) {
            await #expect { try await store.migrate() } throws: { error in
                (error as? StoreError)?.kind == .unavailable && "\(error)".contains("127.0.0.1:1")
            }
        }
    }
}
