import ArgumentParser
import Hummingbird
import Logging
import PierApplication
import PierStore
import PierStdio
import PierServer
import PierWidgets
import ServiceLifecycle
import Foundation

@main
struct Pier: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pier",
        abstract: "An MCP host: tools and widget apps for ChatGPT and every other MCP client.",
        version: pierVersion,
        subcommands: [Serve.self, Migrate.self])
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the MCP server on HTTP.")

    @Option(help: "A JSON config file (also PIER_CONFIG).") var config: String?
    @Option(help: "Address to listen on (also HOST).") var host: String?
    @Option(help: "Port to listen on (also PORT).") var port: Int?
    @Option(
        name: .customLong("app"),
        help: "An app to serve: demo, dashboard, gallery, cart, conformance or lab. Repeat for several (also PIER_APPS; default demo, dashboard, gallery, cart).")
    var apps: [String] = []
    @Option(help: "trace, debug, info, notice, warning, error or critical (also LOG_LEVEL).") var logLevel: String?
    @Flag(help: "Do not run database migrations on start (also PIER_MIGRATE_ON_START=false).") var noMigrate = false
    @Flag(help: "Serve MCP on stdin/stdout (newline-delimited JSON-RPC) instead of HTTP; logs go to stderr.") var stdio = false

    func run() async throws {
        var environment = ProcessInfo.processInfo.environment
        if let host { environment["HOST"] = host }
        if let port { environment["PORT"] = String(port) }
        if !apps.isEmpty { environment["PIER_APPS"] = apps.joined(separator: ",") }
        if let logLevel { environment["LOG_LEVEL"] = logLevel }
        if noMigrate { environment["PIER_MIGRATE_ON_START"] = "false" }
        let settings = try loadSettings(file: config, environment: environment)
        let logger = Logger(label: "pier")
        do {
            if stdio {
                try await runStdio(settings, logger: logger)
                return
            }
            let app = try buildApplication(settings, logger: logger)
            logger.info("Pier starting", metadata: ["host": "\(settings.host)", "port": "\(settings.port)", "apps": "\(settings.apps)"])
            try await app.runService()
        } catch let error as StoreError {
            fatalStartup(error.message)
        } catch let error as StdioTransport.Unsupported {
            fatalStartup(error.description)
        } catch let error as WidgetError {
            fatalStartup(error.description, code: 78)
        } catch let error as RegistrationError {
            fatalStartup(error.description, code: 78)
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bring the database schema up to date, then exit.")

    @Option(help: "A JSON config file (also PIER_CONFIG).") var config: String?

    func run() async throws {
        let settings = try loadSettings(file: config, environment: ProcessInfo.processInfo.environment)
        let logger = Logger(label: "pier")
        do {
            let storage = try buildStorage(settings, logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                if let service = storage.service { group.addTask { try await service.run() } }
                try await prepare(storage.backend, migrate: true, logger: logger)
                let version = try await storage.backend.schemaVersion()
                print("\(storage.backend.name) database at schema version \(version.applied)")
                group.cancelAll()
            }
        } catch let error as StoreError {
            fatalStartup(error.message)
        }
    }
}

/// Loads the configuration and sets up logging; a bad value exits with EX_CONFIG and the key named.
func loadSettings(file: String?, environment: [String: String]) throws -> PierConfiguration {
    let settings: PierConfiguration
    do {
        settings = try PierConfiguration.load(file: file, environment: environment)
    } catch {
        FileHandle.standardError.write(Data("pier: \(error.description)\n".utf8))
        throw ExitCode(78)  // EX_CONFIG
    }
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = settings.logLevel
        return handler
    }
    return settings
}

/// Stops start-up with a message for the operator: EX_UNAVAILABLE (69) by default, EX_CONFIG (78) for a mistake in
/// what Pier was given to serve.
func fatalStartup(_ message: String, code: Int32 = 69) -> Never {
    FileHandle.standardError.write(Data("pier: \(message)\n".utf8))
    exit(code)
}
