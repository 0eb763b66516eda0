/// One thing `pier doctor` found: which check, how bad, what it saw, and how to fix it.
public struct Finding: Sendable, Equatable {
    public enum Level: String, Sendable, Comparable {
        /// The check passed.
        case pass
        /// Worth knowing; nothing to fix.
        case info
        /// ChatGPT (or another client, or app review) will mind; it works meanwhile.
        case warning
        /// ChatGPT cannot use the server until this is fixed.
        case blocking

        var rank: Int {
            switch self {
            case .pass: 0
            case .info: 1
            case .warning: 2
            case .blocking: 3
            }
        }

        public static func < (a: Level, b: Level) -> Bool { a.rank < b.rank }
    }

    /// The area: `https`, `discovery`, `tools`, `widgets`, `origin`, `oauth`, `latency`, …
    public let check: String
    public let level: Level
    public let message: String
    public let fix: String?

    public init(_ check: String, _ level: Level, _ message: String, fix: String? = nil) {
        self.check = check
        self.level = level
        self.message = message
        self.fix = fix
    }
}
