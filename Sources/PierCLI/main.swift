import ArgumentParser
import PierApplication

@main
struct Pier: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pier",
        abstract: "An MCP host: tools and widget apps for ChatGPT and every other MCP client.",
        version: pierVersion,
        subcommands: [Serve.self, Migrate.self, Import.self, APIKey.self, Servers.self, Users.self, Auth.self, Doctor.self])
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

struct Doctor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a deployed MCP server (Pier or any other) the way ChatGPT will use it, and say how to fix what is wrong.",
        discussion: "Exits with 1 when something stops ChatGPT from using the server. Example: pier doctor https://pier.example.com/mcp")

    @Argument(help: "The MCP endpoint's URL.") var url: String
    @Flag(help: "Print the report as JSON (for CI).") var json = false
    @Option(help: "A bearer token, to check the tools of a server that needs one.") var token: String?
    @Option(help: "A PEM file of CAs to trust instead of the system's (a private or test CA).") var caFile: String?

    func run() async throws {
        let (report, status) = await PierCommands.doctor(url: url, token: token, caFile: caFile, json: json)
        print(report)
        if status != 0 { throw ExitCode(status) }
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

struct APIKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikey", abstract: "Manage the admin API's keys in Pier's store (stored only as hashes).",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key and print it (this once).")
        @Argument(help: "The key's name (1–64 characters of A-Z a-z 0-9 _ -).") var name: String
        @Option(help: "A JSON config file (also PIER_CONFIG).") var config: String?

        func run() async {
            do {
                print(try await PierCommands.createAPIKey(try PierCommands.configure(file: config), name: name))
            } catch {
                error.exit()
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the keys (names and prefixes).")
        @Option(help: "A JSON config file (also PIER_CONFIG).") var config: String?

        func run() async {
            do {
                print(try await PierCommands.listAPIKeys(try PierCommands.configure(file: config)))
            } catch {
                error.exit()
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by name.")
        @Argument(help: "The key's name.") var name: String
        @Option(help: "A JSON config file (also PIER_CONFIG).") var config: String?

        func run() async {
            do {
                print(try await PierCommands.revokeAPIKey(try PierCommands.configure(file: config), name: name))
            } catch {
                error.exit()
            }
        }
    }
}

/// The options every `pier servers` subcommand takes.
struct AdminOptions: ParsableArguments {
    @Option(help: "Pier's URL (also PIER_URL; default http://127.0.0.1:8080).") var url: String?
    @Flag(help: "Print the API's JSON instead of a table.") var json = false

    var command: ServersCommand { ServersCommand.fromEnvironment(url: url, json: json) }
}

struct Servers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the upstream servers of a running Pier through its admin API (key from PIER_ADMIN_API_KEY).",
        subcommands: [ListServers.self, Add.self, Remove.self, Start.self, Stop.self, Restart.self, Logs.self])

    struct ListServers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the servers and their status.")
        @OptionGroup var options: AdminOptions
        func run() async { await report { () async throws(StartupError) -> String in try await options.command.list() } }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a server: a program (stdio), a URL (remote) or a git repository.",
            discussion: "Example: pier servers add time --command uvx --arg mcp-server-time")
        @Argument(help: "The server's name.") var name: String
        @Option(help: "The program to run (argv only, no shell).") var command: String?
        @Option(name: .customLong("arg"), parsing: .unconditionalSingleValue, help: "An argument of the program; repeat for several.") var arguments: [String] = []
        @Option(name: .customLong("env"), help: "NAME=VALUE for the program's environment; repeat for several.") var environment: [String] = []
        @Option(name: .customLong("server-url"), help: "The remote server's URL.") var serverURL: String?
        @Option(help: "stdio, streamable-http or sse.") var transport: String?
        @Option(name: .customLong("header"), help: "NAME=VALUE sent to a remote server; repeat for several.") var headers: [String] = []
        @Option(help: "A git URL to clone and install (a Python project).") var github: String?
        @Option(help: "The branch, tag or commit to install from git.") var ref: String?
        @Option(help: "The project's folder inside the repository.") var subdirectory: String?
        @Option(help: "What the server is for.") var description: String?
        @OptionGroup var options: AdminOptions

        func run() async {
            await report { () async throws(StartupError) -> String in
                try await options.command.add(
                    ServersCommand.AddRequest(
                        name: name, command: command, arguments: arguments, environment: environment, serverURL: serverURL, transport: transport,
                        headers: headers, github: github, ref: ref, subdirectory: subdirectory, description: description))
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a server added through the API (its process ends).")
        @Argument var name: String
        @OptionGroup var options: AdminOptions
        func run() async { await report { () async throws(StartupError) -> String in try await options.command.remove(name) } }
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start a stopped server.")
        @Argument var name: String
        @OptionGroup var options: AdminOptions
        func run() async { await report { () async throws(StartupError) -> String in try await options.command.act("start", name) } }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop a server.")
        @Argument var name: String
        @OptionGroup var options: AdminOptions
        func run() async { await report { () async throws(StartupError) -> String in try await options.command.act("stop", name) } }
    }

    struct Restart: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Restart a server (a new process and session).")
        @Argument var name: String
        @OptionGroup var options: AdminOptions
        func run() async { await report { () async throws(StartupError) -> String in try await options.command.act("restart", name) } }
    }

    struct Logs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a server's events and stderr.")
        @Argument var name: String
        @Option(help: "How many lines (1–1000).") var lines = 100
        @OptionGroup var options: AdminOptions
        func run() async { await report { () async throws(StartupError) -> String in try await options.command.logs(name, lines: lines) } }
    }
}

/// Prints what `body` returns, or the error, and exits with its status.
func report(_ body: () async throws(StartupError) -> String) async {
    do {
        print(try await body())
    } catch {
        error.exit()
    }
}

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the people who sign in to Pier's authorization server (passwords stored as bcrypt hashes).",
        subcommands: [Add.self, List.self, Remove.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user, or set their password: the first line of standard input.")
        @Argument(help: "The user's name.") var name: String
        @Option(help: "Their email address.") var email: String?
        @Option(help: "A JSON config file (also PIER_CONFIG).") var config: String?

        func run() async {
            do {
                print(try await PierCommands.addUser(try PierCommands.configure(file: config), name: name, email: email, password: readLine(strippingNewline: true)))
            } catch {
                error.exit()
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the users.")
        @Option(help: "A JSON config file (also PIER_CONFIG).") var config: String?

        func run() async {
            do {
                print(try await PierCommands.listUsers(try PierCommands.configure(file: config)))
            } catch {
                error.exit()
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a user.")
        @Argument(help: "The user's name.") var name: String
        @Option(help: "A JSON config file (also PIER_CONFIG).") var config: String?

        func run() async {
            do {
                print(try await PierCommands.removeUser(try PierCommands.configure(file: config), name: name))
            } catch {
                error.exit()
            }
        }
    }
}

struct Auth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage Pier's authorization server.", subcommands: [RotateKeys.self])

    struct RotateKeys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-keys",
            abstract: "Make a new ID-token signing key current; the previous ones stay published for verification (3 in all).")
        @Option(help: "A JSON config file (also PIER_CONFIG).") var config: String?

        func run() async {
            do {
                print(try await PierCommands.rotateSigningKeys(try PierCommands.configure(file: config)))
            } catch {
                error.exit()
            }
        }
    }
}
