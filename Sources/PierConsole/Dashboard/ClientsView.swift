import Foundation
import Hummingbird

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
