import MCPCore
@testable import PierHTTP
import PierApplication
import PierStore
import PierStorePostgres
import Logging
import Foundation
import Testing

@Suite struct PolicyTests {
    @Test func originsAndHosts() {
        var c = MCPHTTPConfiguration()
        c.corsOrigins = ["https://chatgpt.com"]
        let p = EdgePolicy(configuration: c)
        #expect(p.isAllowedOrigin("https://chatgpt.com"))
        #expect(p.isAllowedOrigin("http://localhost:5173"))
        #expect(!p.isAllowedOrigin("https://evil.example"))
        #expect(!p.isAllowedOrigin("http://localhost.evil.example"))
        #expect(p.isAllowedHost("localhost:8080") && p.isAllowedHost("[::1]:8080"))
        #expect(!p.isAllowedHost("evil.example"))
    }

    @Test func eventLogIsBoundedAndPerStream() {
        var log = EventLog(capacity: 3)
        let a = log.append(.notification(JSONRPCNotification(method: "a")), stream: 1)
        _ = log.append(.notification(JSONRPCNotification(method: "b")), stream: 2)
        _ = log.append(.notification(JSONRPCNotification(method: "c")), stream: 1)
        _ = log.append(.notification(JSONRPCNotification(method: "d")), stream: 1)
        #expect(a == "1-1")
        #expect(log.entries.count == 3)
        #expect(log.events(after: 1, stream: 1).map(\.sequence) == [3, 4])
        #expect(log.events(after: 0, stream: 2).map(\.sequence) == [2])
        #expect(EventLog.parse("1-4")! == (1, 4))
        #expect(EventLog.parse("x") == nil)
    }

    @Test func base64HeaderValues() {
        #expect(HeaderValidation.decode("=?base64?aMOpbGxv?=") == "héllo")
        #expect(HeaderValidation.decode("plain") == "plain")
        #expect(HeaderValidation.decode("=?base64?***?=") == nil)
    }

    @Test func configurationNamesTheBadKey() throws {
        #expect { try PierConfiguration.load(file: nil, environment: ["PORT": "eighty"]) } throws: {
            ($0 as? ConfigurationError)?.key == "PORT"
        }
        #expect { try PierConfiguration.load(file: nil, environment: ["LOG_LEVEL": "loud"]) } throws: {
            ($0 as? ConfigurationError)?.description.contains("LOG_LEVEL") == true
        }
        #expect { try PierConfiguration.load(file: nil, environment: ["BASE_URL": "ftp://x"]) } throws: { $0 is ConfigurationError }
        let ok = try PierConfiguration.load(file: nil, environment: ["PORT": "9000", "ALLOWED_HOSTS": "a.example, b.example", "BASE_URL": "https://pier.example"])
        #expect(ok.port == 9000 && ok.httpConfiguration.allowedHosts == ["a.example", "b.example"])
        #expect(ok.httpConfiguration.allowedOrigins == ["https://pier.example"])
    }
}

@Suite struct StorageSelectionTests {
    @Test func databaseURLChoosesPostgres() throws {
        let pg = try PierConfiguration.load(file: nil, environment: ["DATABASE_URL": "postgres://pier:secret@db.example:6543/pier?sslmode=require"])
        #expect(pg.postgres?.host == "db.example" && pg.postgres?.port == 6543 && pg.postgres?.database == "pier")
        #expect(pg.postgres?.password == "secret" && pg.postgres?.tls == .require)
        #expect(pg.postgres?.safeDescription.contains("secret") == false)
        let discrete = try PierConfiguration.load(file: nil, environment: ["PGHOST": "10.0.0.5", "PGUSER": "u", "PGDATABASE": "d"])
        #expect(discrete.postgres?.host == "10.0.0.5" && discrete.postgres?.username == "u")
        let sqlite = try PierConfiguration.load(file: nil, environment: ["PIER_DATA_DIR": "/var/lib/pier"])
        #expect(sqlite.postgres == nil && sqlite.sqlitePath == "/var/lib/pier/pier.sqlite")
        #expect { try PierConfiguration.load(file: nil, environment: ["DATABASE_URL": "mysql://x"]) } throws: {
            ($0 as? ConfigurationError)?.key == "DATABASE_URL"
        }
        #expect { try PierConfiguration.load(file: nil, environment: ["DATABASE_URL": "postgres://h/d?sslmode=maybe"]) } throws: {
            ($0 as? ConfigurationError)?.key == "DATABASE_URL"
        }
    }

    @Test func freshSQLiteIsCreatedAndMigratedByPrepare() async throws {
        let dir = NSTemporaryDirectory() + "pier-prepare-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var config = PierConfiguration()
        config.dataDirectory = dir
        let storage = try buildStorage(config, logger: .init(label: "test"))
        #expect(storage.backend.name == "sqlite" && storage.service == nil)
        await #expect(throws: StoreError.self) { try await prepare(storage.backend, migrate: false, logger: .init(label: "test")) }
        try await prepare(storage.backend, migrate: true, logger: .init(label: "test"))
        #expect(FileManager.default.fileExists(atPath: dir + "/pier.sqlite"))
    }
}
