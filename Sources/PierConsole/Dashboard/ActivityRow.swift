/// Which activity to show.
public struct ActivityQuery: Sendable, Equatable {
    public var tool: String?
    public var server: String?
    public var subject: String?
    /// `ok`, `error`, … (the event's status).
    public var outcome: String?
    /// `tool_call`, `auth` or `admin`.
    public var kind: String?
    /// Only events older than this id (the next page).
    public var before: Int64?
    /// Only events newer than this id (live updates).
    public var after: Int64?
    public var limit: Int

    public init(
        tool: String? = nil, server: String? = nil, subject: String? = nil, outcome: String? = nil, kind: String? = nil, before: Int64? = nil,
        after: Int64? = nil, limit: Int = 50
    ) {
        self.tool = tool
        self.server = server
        self.subject = subject
        self.outcome = outcome
        self.kind = kind
        self.before = before
        self.after = after
        self.limit = limit
    }
}

/// One activity-log event.
public struct ActivityRow: Sendable, Equatable {
    public var id: Int64
    /// ISO 8601.
    public var at: String
    public var kind: String
    public var server: String
    /// The tool, or the auth or admin action.
    public var action: String
    public var status: String
    public var subject: String?
    public var durationMilliseconds: Int64
    public var detail: String?

    public init(id: Int64, at: String, kind: String, server: String, action: String, status: String, subject: String?, durationMilliseconds: Int64, detail: String?) {
        self.id = id
        self.at = at
        self.kind = kind
        self.server = server
        self.action = action
        self.status = status
        self.subject = subject
        self.durationMilliseconds = durationMilliseconds
        self.detail = detail
    }
}
