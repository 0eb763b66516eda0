import ArgumentParser
import PierApplication

@main
struct Pier: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pier",
        abstract: "An MCP host: tools and widget apps for ChatGPT and every other MCP client.",
        version: pierVersion,
        subcommands: [Serve.self, Migrate.self, Import.self])
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

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add the MCP servers of a Claude Desktop, Cursor, VS Code or Windsurf config to Pier's config file.")

    @Argument(help: "The other client's config (claude_desktop_config.json, mcp.json, .vscode/mcp.json, mcp_config.json).") var file: String
    @Option(help: "Pier's config file to add them to (created when missing; default PIER_CONFIG, else pier.json).") var config: String?
    @Flag(help: "Overwrite servers Pier's config already has under the same names.") var replace = false

    func run() async {
        do {
            let target = config ?? PierCommands.defaultConfigPath
            let report = try PierCommands.importServers(from: file, into: target, replace: replace)
            print(report)
            if !report.refused.isEmpty { throw StartupError("some servers were not imported (see above)", exitCode: 1) }
        } catch let error as StartupError {
            error.exit()
        } catch {
            StartupError.unavailable(String(describing: error)).exit()
        }
    }
}
