/// One event in the activity log: a tool call, a change made through the admin API, or an authorization event.
/// Arguments, results and secrets are not recorded.
public struct ActivityEvent: Sendable, Equatable {
    /// A tool call (`server`, `tool`, `status`, `durationMilliseconds`).
    public static let toolCall = "tool_call"
    /// An admin change: `tool` is the action (`server.create`, …), `subject` who made it (`apikey:NAME`).
    public static let admin = "admin"
    /// An authorization event (a grant, refresh, revocation or refusal): `tool` is the action (`oauth.token`, …),
    /// `subject` the user when known, `detail` the client and the reason.
    public static let auth = "auth"

    /// Assigned by the store, increasing.
    public var id: Int64
    public var at: Timestamp
    public var server: String
    public var tool: String
    public var durationMilliseconds: Int64
    /// `ok`, `error` (a tool error), `failed` (a protocol error) or `cancelled`.
    public var status: String
    public var subject: String?
    /// ``toolCall`` or ``admin``.
    public var kind: String
    /// A short human-readable line about the event (admin changes: what changed, never a secret value).
    public var detail: String?

    public init(
        id: Int64 = 0, at: Timestamp, server: String, tool: String, durationMilliseconds: Int64, status: String, subject: String?,
        kind: String = ActivityEvent.toolCall, detail: String? = nil
    ) {
        self.id = id
        self.at = at
        self.server = server
        self.tool = tool
        self.durationMilliseconds = durationMilliseconds
        self.status = status
        self.subject = subject
        self.kind = kind
        self.detail = detail
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
