/// What `pier serve` was told on its command line: the highest layer of configuration, above the file and the
/// environment. A bad value is reported under the flag's name.
public struct CommandLineSettings: Sendable {
    public var host: String?
    public var port: Int?
    public var apps: [String] = []
    public var logLevel: String?
    /// `--no-migrate`.
    public var skipMigrations = false

    public init(host: String? = nil, port: Int? = nil, apps: [String] = [], logLevel: String? = nil, skipMigrations: Bool = false) {
        self.host = host
        self.port = port
        self.apps = apps
        self.logLevel = logLevel
        self.skipMigrations = skipMigrations
    }

    /// The settings by the environment variable each stands for, with the flag's spelling.
    var layer: [String: (flag: String, value: String)] {
        var flags: [String: (flag: String, value: String)] = [:]
        if let host { flags["HOST"] = ("--host", host) }
        if let port { flags["PORT"] = ("--port", String(port)) }
        if !apps.isEmpty { flags["PIER_APPS"] = ("--app", apps.joined(separator: ",")) }
        if let logLevel { flags["LOG_LEVEL"] = ("--log-level", logLevel) }
        if skipMigrations { flags["PIER_MIGRATE_ON_START"] = ("--no-migrate", "false") }
        return flags
    }
}
