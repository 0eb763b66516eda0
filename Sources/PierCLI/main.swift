import ArgumentParser
import PierApplication

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

    func run() async {
        do {
            let flags = CommandLineSettings(host: host, port: port, apps: apps, logLevel: logLevel, skipMigrations: noMigrate)
            try await PierCommands.serve(try PierCommands.configure(file: config, flags: flags), stdio: stdio)
        } catch {
            error.exit()
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bring the database schema up to date, then exit.")

    @Option(help: "A JSON config file (also PIER_CONFIG).") var config: String?

    func run() async {
        do {
            print(try await PierCommands.migrate(try PierCommands.configure(file: config)))
        } catch {
            error.exit()
        }
    }
}
