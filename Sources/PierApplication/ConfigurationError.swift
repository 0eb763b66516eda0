/// A configuration value Pier cannot use; start-up stops with this message.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let key: String
    public let expected: String
    public let got: String
    public var description: String { "invalid configuration: \(key) must be \(expected), got \"\(got)\"" }
}
