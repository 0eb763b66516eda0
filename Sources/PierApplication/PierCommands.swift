import Hummingbird
import Logging
import PierHTTP
import PierServer
import PierStdio
import PierStore
import PierWidgets
import ServiceLifecycle
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the `pier` commands do, so the executable only parses its arguments: every failure comes back as one
/// ``StartupError`` with the message and exit status for the operator.
///
/// ```swift
/// let settings = try PierCommands.configure(file: config, flags: CommandLineSettings(port: 9000))
/// try await PierCommands.serve(settings, stdio: false)
/// ```
public enum PierCommands {
    /// Reads the configuration (the file, then the process's environment, then `flags`) and sends Pier's logs to
    /// standard error at the configured level.
    public static func configure(file: String?, flags: CommandLineSettings = CommandLineSettings()) throws(StartupError) -> PierConfiguration {
        let settings: PierConfiguration
        do {
            settings = try PierConfiguration.load(file: file, environment: ProcessInfo.processInfo.environment, flags: flags)
        } catch {
            throw .configuration(error.description)
        }
        LoggingSystem.bootstrap { label in
            if settings.logFormat == "json" { return JSONLogHandler(label: label, level: settings.logLevel) }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = settings.logLevel
            return handler
        }
        return settings
    }

    /// Serves HTTP, or stdin/stdout with `stdio`, until stopped (SIGTERM, SIGINT, or the end of input).
    public static func serve(_ settings: PierConfiguration, stdio: Bool) async throws(StartupError) {
        let logger = Logger(label: "pier")
        do {
            if stdio {
                try await runStdio(settings, logger: logger)
            } else {
                let app = try buildApplication(settings, logger: logger)
                logger.info("Pier starting", metadata: ["host": "\(settings.host)", "port": "\(settings.port)", "apps": "\(settings.apps)"])
                try await ShutdownSignals.run(app, grace: .milliseconds(Int(settings.shutdownGraceSeconds * 1000)), logger: logger)
            }
        } catch {
            throw startupError(error)
        }
    }

    /// Brings the database schema up to date; returns what to tell the operator.
    public static func migrate(_ settings: PierConfiguration) async throws(StartupError) -> String {
        try await withStore(settings) { store in
            let version = try await store.schemaVersion()
            return "\(store.name) database at schema version \(version.applied)"
        }
    }

    /// What a failure means for the operator: a mistake in what Pier was given (exit 78), or something around it
    /// that is missing or broken (exit 69).
    static func startupError(_ error: any Error) -> StartupError {
        switch error {
        case let error as StartupError: error
        case let error as ConfigurationError: .configuration(error.description)
        case let error as WidgetError: .configuration(error.description)
        case let error as RegistrationError: .configuration(error.description)
        case let error as StoreError: .unavailable(error.message)
        case let error as TLSSetupError: .configuration(error.description)
        case let error as StdioTransport.Unsupported: .unavailable(error.description)
        default: .unavailable(String(describing: error))
        }
    }
}
