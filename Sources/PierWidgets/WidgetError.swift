/// Why a widget or its assets cannot be served. Raised at start-up, never in the user's chat.
public struct WidgetError: Error, Sendable, CustomStringConvertible, Equatable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
