import Foundation
import Hummingbird

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
