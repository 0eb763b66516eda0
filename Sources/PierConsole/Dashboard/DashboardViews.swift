import Foundation
import Hummingbird

/// What every dashboard page's template gets: the page's title, Pier's styles and script, who is signed in, the
/// CSRF token for its forms, which tab is current, and a notice or error from the last action.
struct Chrome {
    let title: String
    let styles: String
    let script: String
    let user: String
    let csrf: String
    let tab: [String: Bool]
    let notice: String?
    let error: String?

    init(_ dashboard: Dashboard, _ session: DashboardSessions.Session, title: String, tab: String, request: Request? = nil) {
        self.title = title + " · Pier"
        styles = dashboard.pages.assetPath("console.css")
        script = dashboard.pages.assetPath("console.js")
        user = session.user
        csrf = session.csrf
        self.tab = [tab: true]
        notice = request?.uri.queryParameters["notice"].map(String.init)
        error = request?.uri.queryParameters["error"].map(String.init)
    }
}

struct LoginView {
    let title = "Sign in · Pier"
    let styles: String
    let script: String
    let error: String?
    let next: String
    /// Where the first user's password is, when Pier just made that user.
    let hint: String?

    init(pages: ConsolePages, error: String?, next: String, hint: String? = nil) {
        styles = pages.assetPath("console.css")
        script = pages.assetPath("console.js")
        self.error = error
        self.next = next
        self.hint = hint
    }
}

struct MissingView {
    let chrome: Chrome
    let what: String

    init(pages: ConsolePages, session: DashboardSessions.Session, what: String) {
        chrome = Chrome(title: "Not found", styles: pages.assetPath("console.css"), script: pages.assetPath("console.js"), session: session)
        self.what = what
    }
}

extension Chrome {
    init(title: String, styles: String, script: String, session: DashboardSessions.Session) {
        self.title = title + " · Pier"
        self.styles = styles
        self.script = script
        user = session.user
        csrf = session.csrf
        tab = [:]
        notice = nil
        error = nil
    }
}

/// Numbers for people: `1.2 ms`, `3h 04m`.
enum Figures {
    static func milliseconds(_ value: Double) -> String {
        value >= 100 ? String(format: "%.0f ms", value) : String(format: "%.1f ms", value)
    }

    static func uptime(_ seconds: Int?) -> String {
        guard let seconds else { return "—" }
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m \(String(format: "%02d", seconds % 60))s" }
        if seconds < 86_400 { return "\(seconds / 3600)h \(String(format: "%02d", (seconds % 3600) / 60))m" }
        return "\(seconds / 86_400)d \(String(format: "%02d", (seconds % 86_400) / 3600))h"
    }

    static func percent(_ part: Int, of whole: Int) -> String {
        whole == 0 ? "—" : String(format: "%.1f %%", Double(part) * 100 / Double(whole))
    }
}

struct ServersView {
    struct Row {
        let name: String
        let kind: String
        let state: String
        let healthy: Bool
        let source: String
        let uptime: String
        let restarts: Int
        let tools: Int
        let lastError: String?
        let calls: Int
        let errorRate: String
        let managed: Bool
        let removable: Bool
    }
    let chrome: Chrome
    let rows: [Row]
    let hasUpstreams: Bool

    static func row(_ s: ServerRow) -> Row {
        let calls = s.figures.reduce(0) { $0 + $1.calls }
        let errors = s.figures.reduce(0) { $0 + $1.errors }
        return Row(
            name: s.name, kind: s.kind, state: s.state, healthy: s.state == "running", source: s.source, uptime: Figures.uptime(s.uptimeSeconds),
            restarts: s.restarts, tools: s.tools, lastError: s.lastError, calls: calls, errorRate: Figures.percent(errors, of: calls),
            managed: s.source != "app", removable: s.source == "api")
    }

    init(_ dashboard: Dashboard, _ session: DashboardSessions.Session, _ request: Request) {
        chrome = Chrome(dashboard, session, title: "Servers", tab: "servers", request: request)
        rows = dashboard.data.servers().map(Self.row)
        hasUpstreams = rows.contains { $0.managed }
    }
}

struct ServerView {
    struct Figure {
        let tool: String
        let calls: Int
        let errorRate: String
        let p50: String
        let p95: String
    }
    let chrome: Chrome
    /// The same row the Servers page shows.
    let server: ServersView.Row
    let stderr: String
    let hasStderr: Bool
    let figures: [Figure]

    init(_ dashboard: Dashboard, _ session: DashboardSessions.Session, _ s: ServerRow, request: Request) {
        chrome = Chrome(dashboard, session, title: s.name, tab: "servers", request: request)
        server = ServersView.row(s)
        stderr = s.stderr.joined(separator: "\n")
        hasStderr = s.source != "app"
        figures = s.figures.map {
            Figure(
                tool: $0.tool, calls: $0.calls, errorRate: Figures.percent($0.errors, of: $0.calls), p50: Figures.milliseconds($0.p50Milliseconds),
                p95: Figures.milliseconds($0.p95Milliseconds))
        }
    }
}

struct SessionsView {
    let chrome: Chrome
    let sessions: [SessionRow]
    let clients: [ClientRow]
    let hasSessions: Bool
    let hasClients: Bool

    init(_ dashboard: Dashboard, _ session: DashboardSessions.Session, _ request: Request) {
        chrome = Chrome(dashboard, session, title: "Sessions", tab: "sessions", request: request)
        let (open, seen) = dashboard.data.sessions()
        sessions = open
        clients = seen
        hasSessions = !open.isEmpty
        hasClients = !seen.isEmpty
    }
}

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

struct ConnectorsView {
    struct Connector {
        let name: String
        let url: String
        let count: Int
        let tools: [String]
        let caps: [[String: String]]
        let capWarning: String?
        let stale: [StaleCopy]
        let isStale: Bool
    }
    let chrome: Chrome
    let connectors: [Connector]

    init(_ dashboard: Dashboard, _ session: DashboardSessions.Session) {
        chrome = Chrome(dashboard, session, title: "Connectors", tab: "connectors")
        connectors = dashboard.data.connectors().map { c in
            Connector(
                name: c.name, url: c.path, count: c.tools.count, tools: c.tools,
                caps: ToolCaps.known.map { ["client": $0.client, "limit": String($0.limit), "over": c.tools.count > $0.limit ? "over" : "ok"] },
                capWarning: ToolCaps.warning(for: c.tools.count), stale: c.stale, isStale: !c.stale.isEmpty)
        }
    }
}

struct ClientsView {
    struct Client {
        let id: String
        let name: String
        let kind: String
        let redirects: String
        let created: String
        let grants: Int
        let deletable: Bool
    }
    let chrome: Chrome
    let clients: [Client]
    let grants: [GrantRow]
    let keys: [KeyRow]
    let unavailable: Bool
    let hasClients: Bool
    let hasGrants: Bool
    let hasKeys: Bool

    init(_ dashboard: Dashboard, _ session: DashboardSessions.Session, _ request: Request, found: Result<ClientsPage, ActivityUnavailable>) {
        chrome = Chrome(dashboard, session, title: "Clients and keys", tab: "clients", request: request)
        let page = (try? found.get()) ?? ClientsPage(clients: [], grants: [], keys: [])
        unavailable = (try? found.get()) == nil
        clients = page.clients.map {
            Client(
                id: $0.id, name: $0.name, kind: $0.kind, redirects: $0.redirectURIs.joined(separator: "\n"), created: $0.created ?? "—", grants: $0.grants,
                deletable: $0.kind != "CIMD")
        }
        grants = page.grants
        keys = page.keys
        hasClients = !clients.isEmpty
        hasGrants = !grants.isEmpty
        hasKeys = !keys.isEmpty
    }
}
