import Foundation
import Logging
import PierApplication
import PierHTTP
import PierStorePostgres
import PierStore
import Testing

@Suite struct ConfigurationTests {
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

    @Test func theAdminKeyMustBeLongAndTheAllowlistIsAList() throws {
        #expect { try PierConfiguration.load(file: nil, environment: ["PIER_ADMIN_API_KEY": "short"]) } throws: {
            ($0 as? ConfigurationError)?.key == "PIER_ADMIN_API_KEY"
        }
        let config = try PierConfiguration.load(
            file: nil,
            environment: ["PIER_ADMIN_API_KEY": String(repeating: "k", count: 32), "PIER_ALLOWED_COMMANDS": "uvx, npx", "PIER_ALLOWED_ENV": "PATH"])
        #expect(config.adminAPIKey?.count == 32 && config.allowedCommands == ["uvx", "npx"] && config.allowedEnvironment == ["PATH"])
        #expect(try PierConfiguration.load(file: nil, environment: [:]).allowedCommands == nil)
    }

    @Test func commandLineFlagsComeLastAndAreNamedAsFlags() throws {
        let flags = CommandLineSettings(host: "0.0.0.0", port: 9100, apps: ["demo", "conformance"], logLevel: "debug", skipMigrations: true)
        let config = try PierConfiguration.load(file: nil, environment: ["PORT": "9000", "HOST": "127.0.0.1"], flags: flags)
        #expect(config.port == 9100 && config.host == "0.0.0.0" && config.apps == ["demo", "conformance"] && !config.migrateOnStart)
        #expect(config.logLevel == .debug)
        #expect { try PierConfiguration.load(file: nil, environment: [:], flags: CommandLineSettings(port: 70000)) } throws: {
            ($0 as? ConfigurationError)?.key == "--port"
        }
        #expect { try PierConfiguration.load(file: nil, environment: [:], flags: CommandLineSettings(logLevel: "loud")) } throws: {
            ($0 as? ConfigurationError)?.description.contains("--log-level") == true
        }
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
