/// What to start for a stdio upstream: a program and its arguments (never through a shell), its whole
/// environment (see ``ChildEnvironment``) and its working directory.
public struct StdioCommand: Sendable, Equatable {
    /// A path, or a name looked up in the child's `PATH`.
    public var command: String
    public var arguments: [String]
    public var environment: [String: String]
    public var workingDirectory: String?

    public init(command: String, arguments: [String] = [], environment: [String: String], workingDirectory: String? = nil) {
        self.command = command
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
    }

    /// The command line, for logs (arguments are shown; the environment never is).
    public var display: String { ([command] + arguments).joined(separator: " ") }

    /// The executable's path: `command` when it names a path, else the first match in the child's `PATH`.
    func resolvedPath(exists: (String) -> Bool) -> String? {
        if command.contains("/") { return command }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(command)"
            if exists(candidate) { return candidate }
        }
        return nil
    }
}
