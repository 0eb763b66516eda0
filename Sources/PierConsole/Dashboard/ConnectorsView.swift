import Foundation
import Hummingbird

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
