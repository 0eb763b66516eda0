import MCPClient
import Subprocess
import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a short-lived program to its end (argv only, never a shell) and collects what it wrote: the install steps
/// of a server (`git clone`, `python -m venv`, `pip install`).
public enum CommandRunner {
    /// How a program ended, and its output (stdout, then stderr), cut to the last `outputLimit` bytes of each.
    public struct Outcome: Sendable, Equatable {
        /// The exit status; `nil` when a signal ended it.
        public var exitCode: Int32?
        public var output: String
        public var succeeded: Bool { exitCode == 0 }
    }

    /// Why a program could not be run to its end.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case notFound(String)
        case timedOut(String, seconds: Double)
        case couldNotStart(String, String)

        public var description: String {
            switch self {
            case .notFound(let command): "no executable \"\(command)\" in PATH"
            case .timedOut(let command, let seconds): "\(command) did not finish within \(Int(seconds)) s"
            case .couldNotStart(let command, let why): "\(command) could not be started: \(why)"
            }
        }
    }

    /// Runs `command` in a process group of its own; past `timeout` the whole group is killed.
    public static func run(_ command: StdioCommand, timeout: Duration, outputLimit: Int = 8 * 1024 * 1024) async throws(Failure) -> Outcome {
        guard let path = command.resolvedPath(exists: { access($0, X_OK) == 0 }) else { throw .notFound(command.command) }
        var options = PlatformOptions()
        options.processGroupID = 0
        options.teardownSequence = [.send(signal: .terminate, toProcessGroup: true, allowedDurationToNextStep: .seconds(2))]
        var environment: [Environment.Key: String] = [:]
        for (name, value) in command.environment { if let key = Environment.Key(rawValue: name) { environment[key] = value } }
        let configuration = Configuration(
            executable: .path(FilePath(path)), arguments: Arguments(command.arguments), environment: .custom(environment),
            workingDirectory: command.workingDirectory.map { FilePath($0) }, platformOptions: options)
        let display = command.command
        let result: Result<Outcome, Failure> = await withTaskGroup(of: Result<Outcome, Failure>?.self) { group in
            group.addTask {
                do {
                    let result = try await Subprocess.run(configuration, output: .string(limit: outputLimit), error: .string(limit: outputLimit))
                    var code: Int32?
                    if case .exited(let status) = result.terminationStatus { code = Int32(status) }
                    let output = (result.standardOutput ?? "") + (result.standardError ?? "")
                    return .success(Outcome(exitCode: code, output: output))
                } catch {
                    return .failure(.couldNotStart(display, "\(error)"))
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return Task.isCancelled ? nil : .failure(.timedOut(display, seconds: timeout.inSeconds))
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .failure(.timedOut(display, seconds: timeout.inSeconds))
        }
        return try result.get()
    }
}
