#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MCPCore

/// A program the installer runs (argv only) and how it ended.
public struct InstallStep: Sendable, Equatable {
    public var program: String
    public var arguments: [String]
    public var directory: String?
    public var environment: [String: String]
}

/// Runs one install step to its end; returns the exit code (`nil` for a signal) and the output, or throws a
/// message when it could not run (not found, timed out).
public typealias InstallRunner = @Sendable (InstallStep) async throws -> (exitCode: Int32?, output: String)

/// A server installed from git: where it lives and what to run.
public struct InstalledServer: Sendable, Equatable {
    public var command: String
    public var arguments: [String]
    public var directory: String
    /// Variables the installed program needs (`VIRTUAL_ENV`, `PATH` with the virtualenv first).
    public var environment: [String: String]
    /// What it was installed from, to tell whether a stored definition still matches.
    var fingerprint: String
}

/// Clones a git repository into the data directory and installs the Python project in it into a virtualenv
/// (`pyproject.toml`: `pip install <project>` and its console script; `requirements.txt`: `pip install -r` and the
/// given command).
public struct GitInstaller: Sendable {
    public var root: String
    public var git = "git"
    public var python = "python3"
    /// `PATH` and `HOME` for the install steps.
    public var environment: [String: String]
    let run: InstallRunner

    public init(root: String, git: String = "git", python: String = "python3", environment: [String: String], run: @escaping InstallRunner) {
        self.root = root
        self.git = git
        self.python = python
        self.environment = environment
        self.run = run
    }

    /// The folder of server `name`.
    func directory(of name: String) -> String { "\(root)/servers/\(name)" }

    static func fingerprint(_ source: GitSource, command: String?, arguments: [String]) -> String {
        JSONValue.object([
            "url": .string(source.url), "ref": source.ref.map(JSONValue.string) ?? .null, "subdirectory": source.subdirectory.map(JSONValue.string) ?? .null,
            "command": command.map(JSONValue.string) ?? .null, "args": .array(arguments.map(JSONValue.string)),
        ]).serializedString()
    }

    /// The earlier install of `name` from the same source, if it is complete.
    func installed(_ name: String, source: GitSource, command: String?, arguments: [String]) -> InstalledServer? {
        let path = directory(of: name) + "/pier-install.json"
        guard let data = FileManager.default.contents(atPath: path), case .object(let saved)? = try? JSONValue(parsing: Array(data)),
            saved["fingerprint"]?.stringValue == Self.fingerprint(source, command: command, arguments: arguments),
            let program = saved["command"]?.stringValue, let folder = saved["directory"]?.stringValue,
            FileManager.default.isExecutableFile(atPath: program)
        else { return nil }
        let args = saved["args"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return InstalledServer(command: program, arguments: args, directory: folder, environment: virtualenvEnvironment(name), fingerprint: Self.fingerprint(source, command: command, arguments: arguments))
    }

    func virtualenvEnvironment(_ name: String) -> [String: String] {
        let venv = directory(of: name) + "/venv"
        return ["VIRTUAL_ENV": venv, "PATH": "\(venv)/bin:" + (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")]
    }

    /// A failed install, with the reason the server's status shows.
    public struct Failure: Error, Sendable { public let reason: String }

    /// Installs `name` afresh; `log` receives progress and each step's output.
    public func install(
        _ name: String, source: GitSource, command: String?, arguments: [String], log: @Sendable (String) -> Void
    ) async throws(Failure) -> InstalledServer {
        let folder = directory(of: name)
        let checkout = folder + "/src"
        let venv = folder + "/venv"
        try? FileManager.default.removeItem(atPath: folder)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw Failure(reason: "cannot create \(folder): \(error)")
        }
        var gitEnvironment = environment
        gitEnvironment["GIT_TERMINAL_PROMPT"] = "0"
        log("cloning \(source.url)\(source.ref.map { " at \($0)" } ?? "")")
        try await step("git clone", InstallStep(
            program: git, arguments: ["-c", "protocol.ext.allow=never", "clone", "--quiet", "--no-recurse-submodules", "--", source.url, checkout],
            directory: folder, environment: gitEnvironment), log: log)
        if let ref = source.ref {
            try await step("git checkout", InstallStep(program: git, arguments: ["checkout", "--quiet", "--detach", ref], directory: checkout, environment: gitEnvironment), log: log)
        }
        let project = source.subdirectory.map { "\(checkout)/\($0)" } ?? checkout
        let pyproject = project + "/pyproject.toml", requirements = project + "/requirements.txt"
        let hasPyproject = FileManager.default.fileExists(atPath: pyproject)
        guard hasPyproject || FileManager.default.fileExists(atPath: requirements) else {
            throw Failure(reason: "no Python project (pyproject.toml or requirements.txt) in \(source.subdirectory ?? "the repository's root")")
        }
        log("creating a virtualenv")
        try await step("python -m venv", InstallStep(program: python, arguments: ["-m", "venv", venv], directory: folder, environment: environment), log: log)
        let pipArguments = ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--quiet"] + (hasPyproject ? [project] : ["-r", requirements])
        log("pip install \(hasPyproject ? "the project" : "requirements.txt")")
        try await step("pip install", InstallStep(program: venv + "/bin/python", arguments: pipArguments, directory: project, environment: virtualenvEnvironment(name)), log: log)
        let program: String
        if let command {
            let inVenv = "\(venv)/bin/\(command)"
            program = !command.contains("/") && FileManager.default.isExecutableFile(atPath: inVenv) ? inVenv : command
        } else {
            guard hasPyproject, let text = try? String(contentsOfFile: pyproject, encoding: .utf8), let script = Self.consoleScript(in: text) else {
                throw Failure(reason: "no console script found ([project.scripts] in pyproject.toml); give \"command\" (and \"args\")")
            }
            program = "\(venv)/bin/\(script)"
            guard FileManager.default.isExecutableFile(atPath: program) else { throw Failure(reason: "pip did not install the console script \(script)") }
        }
        let installed = InstalledServer(
            command: program, arguments: arguments, directory: project, environment: virtualenvEnvironment(name),
            fingerprint: Self.fingerprint(source, command: command, arguments: arguments))
        let record: JSONValue = [
            "fingerprint": .string(installed.fingerprint), "command": .string(program), "args": .array(arguments.map(JSONValue.string)),
            "directory": .string(project),
        ]
        guard FileManager.default.createFile(atPath: folder + "/pier-install.json", contents: Data(record.serialized())) else {
            throw Failure(reason: "cannot write \(folder)/pier-install.json")
        }
        log("installed: \(([program] + arguments).joined(separator: " "))")
        return installed
    }

    private func step(_ label: String, _ step: InstallStep, log: @Sendable (String) -> Void) async throws(Failure) {
        let outcome: (exitCode: Int32?, output: String)
        do {
            outcome = try await run(step)
        } catch {
            log("\(label): \(error)")
            throw Failure(reason: "\(label) failed: \(error)")
        }
        let lines = outcome.output.split(whereSeparator: \.isNewline)
        for line in lines.suffix(200) { log("  \(line)") }
        guard outcome.exitCode == 0 else {
            let last = lines.last.map { ": \($0)" } ?? ""
            throw Failure(reason: "\(label) failed (\(outcome.exitCode.map { "exit status \($0)" } ?? "killed by a signal"))\(last)")
        }
    }

    /// The first console script `[project.scripts]` (or Poetry's `[tool.poetry.scripts]`) declares.
    static func consoleScript(in pyproject: String) -> String? {
        var inScripts = false
        for raw in pyproject.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: " \t")
            if line.hasPrefix("[") {
                inScripts = line == "[project.scripts]" || line == "[tool.poetry.scripts]"
                continue
            }
            guard inScripts, !line.hasPrefix("#"), let equals = line.firstIndex(of: "=") else { continue }
            let name = line[..<equals].trimmingCharacters(in: " \t\"'")
            if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) { return name }
        }
        return nil
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let first = s.first, set.contains(first) { s.removeFirst() }
        while let last = s.last, set.contains(last) { s.removeLast() }
        return String(s)
    }
}
