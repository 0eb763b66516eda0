public import Logging
public import MCPClient
public import MCPCore
import Subprocess
import PierSync
import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An upstream MCP server run as a child process and spoken to over its stdin and stdout, one JSON-RPC message
/// per line.
///
/// The child runs in a process group of its own, started without a shell. Stopping it (cancelling ``run``)
/// sends SIGTERM to the group, then SIGKILL after the grace period, and always waits for the child; whatever is
/// left of the group is killed too. A line on stdout that is not JSON-RPC is logged and skipped. stderr goes to
/// the log under the server's name and into a bounded ``StderrTail``.
public final class StdioClientTransport: ClientTransport {
    public let command: StdioCommand
    public let serverName: String
    public let gracePeriod: Duration
    public let maximumMessageBytes: Int
    public let stderr: StderrTail
    private let logger: Logger
    private let writer = Locked<StandardInputWriter?>(nil)
    private let processID = Locked<Int32?>(nil)

    public init(
        command: StdioCommand, serverName: String, gracePeriod: Duration = .seconds(2), maximumMessageBytes: Int = 16 * 1024 * 1024,
        stderr: StderrTail = StderrTail(), logger: Logger
    ) {
        self.command = command
        self.serverName = serverName
        self.gracePeriod = gracePeriod
        self.maximumMessageBytes = maximumMessageBytes
        self.stderr = stderr
        self.logger = logger
    }

    public var label: String { "stdio \(command.display)" }
    public var answersInline: Bool { false }

    /// The running child's process id (also its process group id); `nil` when none runs.
    public var pid: Int32? { processID.withLock { $0 } }

    /// Writing to a child that has died must fail the write (EPIPE), not kill Pier with SIGPIPE, so the process
    /// ignores SIGPIPE once the first child is started (sockets already avoid it; pipes cannot).
    private static let ignoreBrokenPipes: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    public func run(connected: @Sendable () async -> Void, deliver: @escaping @Sendable (JSONRPCMessage) async -> Void) async throws {
        Self.ignoreBrokenPipes
        guard let path = command.resolvedPath(exists: { access($0, X_OK) == 0 }) else {
            throw ClientTransportError.unreachable("no executable \"\(command.command)\" in the child's PATH")
        }
        var options = PlatformOptions()
        // A group of its own (pgid = pid), so that stopping it reaches everything it started.
        options.processGroupID = 0
        options.teardownSequence = [.send(signal: .terminate, toProcessGroup: true, allowedDurationToNextStep: gracePeriod)]
        var environment: [Environment.Key: String] = [:]
        for (name, value) in command.environment { if let key = Environment.Key(rawValue: name) { environment[key] = value } }
        let name = serverName
        let logger = logger
        let tail = stderr
        let limit = maximumMessageBytes
        let status: TerminationStatus
        do {
            status = try await Subprocess.run(
                .path(FilePath(path)), arguments: Arguments(command.arguments), environment: .custom(environment),
                workingDirectory: command.workingDirectory.map { FilePath($0) }, platformOptions: options,
                input: .inputWriter, output: .sequence, error: .sequence
            ) { execution in
                let pid = execution.processIdentifier.value
                self.processID.withLock { $0 = pid }
                self.writer.withLock { $0 = execution.standardInputWriter }
                defer {
                    self.writer.withLock { $0 = nil }
                    // Whatever the child left in its group goes with it.
                    kill(-pid, SIGKILL)
                }
                logger.info("upstream started", metadata: ["upstream": "\(name)", "pid": "\(pid)"])
                await connected()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        var lines = LineSplitter(maximumLineBytes: 8 * 1024)
                        for try await chunk in execution.standardError {
                            let bytes = chunk.withUnsafeBytes { Array($0) }
                            tail.append(bytes)
                            for case .line(let line) in lines.feed(bytes) {
                                logger.info("upstream stderr", metadata: ["upstream": "\(name)", "line": "\(String(decoding: line, as: UTF8.self))"])
                            }
                        }
                    }
                    var lines = LineSplitter(maximumLineBytes: limit)
                    for try await chunk in execution.standardOutput {
                        let bytes = chunk.withUnsafeBytes { Array($0) }
                        for piece in lines.feed(bytes) {
                            switch piece {
                            case .overlong(let size):
                                logger.warning("upstream sent an over-long line; skipped", metadata: ["upstream": "\(name)", "bytes": "\(size)"])
                            case .line(let line):
                                if let message = Self.message(line) {
                                    await deliver(message)
                                } else {
                                    logger.warning(
                                        "upstream wrote a line that is not JSON-RPC; skipped",
                                        metadata: ["upstream": "\(name)", "line": "\(String(decoding: line.prefix(200), as: UTF8.self))"])
                                }
                            }
                        }
                    }
                    group.cancelAll()
                }
            }.terminationStatus
        } catch let error as SubprocessError {
            processID.withLock { $0 = nil }
            throw ClientTransportError.unreachable("could not start \(command.command): \(error)")
        }
        processID.withLock { $0 = nil }
        try Task.checkCancellation()
        throw ClientTransportError.closed("the process \(Self.describe(status))")
    }

    static func message(_ line: [UInt8]) -> JSONRPCMessage? {
        guard let json = try? JSONValue(parsing: line) else { return nil }
        return try? JSONRPCMessage(json: json)
    }

    static func describe(_ status: TerminationStatus) -> String {
        switch status {
        case .exited(let code): "exited with status \(code)"
        case .signaled(let signal): "was killed by signal \(signal)"
        }
    }

    public func send(_ outbound: Outbound, replies: @escaping @Sendable (JSONRPCMessage) async throws -> Void) async throws {
        guard let writer = writer.withLock({ $0 }) else { throw ClientTransportError.closed("the process is not running") }
        var json = JSONWriter()
        json.write(outbound.message)
        json.appendRaw([0x0A])
        do {
            _ = try await writer.write(json.bytes)
        } catch {
            throw ClientTransportError.closed("could not write to the process: \(error)")
        }
    }

    public func sessionEstablished(protocolVersion: String) async {}
    public func resetSession() async {}
}
