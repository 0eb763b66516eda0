import Foundation
import Hummingbird

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
