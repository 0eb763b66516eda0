#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why Pier cannot start (or finish a command): a message for the operator and the exit status that says what
/// kind of problem it is, EX_CONFIG (78) for a mistake in what Pier was given, EX_UNAVAILABLE (69) for something
/// missing around it (an unreachable database, say).
public struct StartupError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public let exitCode: Int32

    public init(_ message: String, exitCode: Int32) {
        self.message = message
        self.exitCode = exitCode
    }

    /// A mistake in the configuration or in what Pier was asked to serve.
    public static func configuration(_ message: String) -> StartupError { StartupError(message, exitCode: 78) }
    /// Something Pier needs is not there.
    public static func unavailable(_ message: String) -> StartupError { StartupError(message, exitCode: 69) }

    public var description: String { "pier: \(message)" }

    /// Writes the message to standard error and ends the process with the exit code.
    public func exit() -> Never {
        let line = Array((description + "\n").utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        #if canImport(Glibc)
        Glibc.exit(exitCode)
        #else
        Darwin.exit(exitCode)
        #endif
    }
}
