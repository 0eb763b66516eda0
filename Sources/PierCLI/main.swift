import ArgumentParser
import Hummingbird
import Logging
import PierApplication
import Foundation

@main
struct Pier: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pier",
        abstract: "An MCP host: tools and widget apps for ChatGPT and every other MCP client.",
        version: pierVersion,
        subcommands: [Serve.self])
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the MCP server on HTTP.")

    @Option(help: "A JSON config file (also PIER_CONFIG).") var config: String?
    @Option(help: "Address to listen on (also HOST).") var host: String?
    @Option(help: "Port to listen on (also PORT).") var port: Int?
    @Option(name: .customLong("app"), help: "An app to serve: demo or conformance. Repeat for several (also PIER_APPS).")
    var apps: [String] = []
    @Option(help: "trace, debug, info, notice, warning, error or critical (also LOG_LEVEL).") var logLevel: String?

    func run() async throws {
        var environment = ProcessInfo.processInfo.environment
        if let host { environment["HOST"] = host }
        if let port { environment["PORT"] = String(port) }
        if !apps.isEmpty { environment["PIER_APPS"] = apps.joined(separator: ",") }
        if let logLevel { environment["LOG_LEVEL"] = logLevel }
        let settings: PierConfiguration
        do {
            settings = try PierConfiguration.load(file: config, environment: environment)
        } catch {
            FileHandle.standardError.write(Data("pier: \(error.description)\n".utf8))
            throw ExitCode(78)  // EX_CONFIG
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = settings.logLevel
            return handler
        }
        let logger = Logger(label: "pier")
        let app = try buildApplication(settings, logger: logger)
        logger.info("Pier listening", metadata: ["host": "\(settings.host)", "port": "\(settings.port)", "apps": "\(settings.apps)"])
        try await app.runService()
    }
}
