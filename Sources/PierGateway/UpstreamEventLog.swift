public import MCPCore

/// One line of what Pier did with an upstream (started it, saw it go away, gave up, installed it).
public struct UpstreamEvent: Sendable, Equatable {
    /// Milliseconds since 1970 (wall clock).
    public var at: Int64
    /// `info`, `warning` or `error`.
    public var level: String
    public var message: String

    public init(at: Int64, level: String, message: String) {
        self.at = at
        self.level = level
        self.message = message
    }
}

/// The newest events of one upstream, oldest first, bounded to `capacity`.
public struct UpstreamEventLog: Sendable {
    public let capacity: Int
    public private(set) var events: [UpstreamEvent] = []

    public init(capacity: Int = 200) { self.capacity = max(1, capacity) }

    public mutating func append(_ event: UpstreamEvent) {
        if events.count == capacity { events.removeFirst(events.count - capacity + 1) }
        events.append(event)
    }

    /// The last `count` events, oldest first.
    public func last(_ count: Int) -> [UpstreamEvent] { Array(events.suffix(max(0, count))) }
}
