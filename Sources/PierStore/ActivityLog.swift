/// One tool call in the activity log. Arguments and results are not recorded.
public struct ActivityEvent: Sendable, Equatable {
    /// Assigned by the store, increasing.
    public var id: Int64
    public var at: Timestamp
    public var server: String
    public var tool: String
    public var durationMilliseconds: Int64
    /// `ok`, `error` (a tool error), `failed` (a protocol error) or `cancelled`.
    public var status: String
    public var subject: String?

    public init(id: Int64 = 0, at: Timestamp, server: String, tool: String, durationMilliseconds: Int64, status: String, subject: String?) {
        self.id = id
        self.at = at
        self.server = server
        self.tool = tool
        self.durationMilliseconds = durationMilliseconds
        self.status = status
        self.subject = subject
    }
}

/// The append-only activity log the dashboard shows.
public protocol ActivityLog: Sendable {
    /// Appends events in order; returns their ids.
    @discardableResult
    func append(_ events: [ActivityEvent]) async throws -> [Int64]
    /// The newest events first, optionally older than the event `before`.
    func recent(limit: Int, before: Int64?) async throws -> [ActivityEvent]
    /// Deletes events older than `cutoff` (retention); returns how many.
    func purgeActivity(olderThan cutoff: Timestamp) async throws -> Int
}
