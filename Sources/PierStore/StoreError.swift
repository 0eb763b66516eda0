/// A storage failure. The description never contains stored values or secrets.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A record with the same identity exists.
        case duplicate
        /// The record does not exist.
        case notFound
        /// The database cannot be reached.
        case unavailable
        /// The database schema is newer than this Pier understands.
        case schemaTooNew
        /// The configuration of the store is wrong.
        case misconfigured
        /// Any other database failure.
        case backend
    }

    public let kind: Kind
    /// A message safe for logs and operators.
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
    public static func == (lhs: StoreError, rhs: StoreError) -> Bool { lhs.kind == rhs.kind }
}
