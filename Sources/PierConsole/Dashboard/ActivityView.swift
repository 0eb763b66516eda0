import Foundation
import Hummingbird

struct ActivityView {
    struct Row {
        let id: Int64
        let at: String
        let kind: String
        let server: String
        let action: String
        let status: String
        let ok: Bool
        let subject: String?
        let duration: String
        let detail: String?
    }
    let chrome: Chrome
    let rows: [Row]
    let unavailable: Bool
    let query: ActivityQuery
    let kinds: [[String: String]]
    let next: String?
    let newest: Int64
    let isFirstPage: Bool

    static func query(_ request: Request) -> ActivityQuery {
        func field(_ name: String) -> String? {
            guard let value = request.uri.queryParameters[Substring(name)].map(String.init), !value.isEmpty else { return nil }
            return String(value.prefix(200))
        }
        return ActivityQuery(
            tool: field("tool"), server: field("server"), subject: field("subject"), outcome: field("outcome"), kind: field("kind"),
            before: field("before").flatMap { Int64($0) }, limit: 50)
    }

    init(_ dashboard: Dashboard, _ session: DashboardSessions.Session, _ request: Request, query: ActivityQuery, rows found: Result<[ActivityRow], ActivityUnavailable>) {
        chrome = Chrome(dashboard, session, title: "Activity", tab: "activity", request: request)
        self.query = query
        let events = (try? found.get()) ?? []
        unavailable = (try? found.get()) == nil
        rows = events.map(Self.row)
        kinds = ["", "tool_call", "auth", "admin"].map { ["value": $0, "label": $0.isEmpty ? "any kind" : $0, "selected": $0 == (query.kind ?? "") ? "selected" : ""] }
        newest = events.first?.id ?? 0
        isFirstPage = query.before == nil
        if events.count == query.limit, let last = events.last {
            var parts = ["before=\(last.id)"]
            for (name, value) in [("tool", query.tool), ("server", query.server), ("subject", query.subject), ("outcome", query.outcome), ("kind", query.kind)] {
                if let value { parts.append("\(name)=\(Dashboard.query(value))") }
            }
            next = "/dashboard/activity?" + parts.joined(separator: "&")
        } else {
            next = nil
        }
    }

    static func row(_ e: ActivityRow) -> Row {
        Row(
            id: e.id, at: e.at, kind: e.kind, server: e.server, action: e.action, status: e.status, ok: e.status == "ok", subject: e.subject,
            duration: e.kind == "tool_call" ? "\(e.durationMilliseconds) ms" : "", detail: e.detail)
    }
}
