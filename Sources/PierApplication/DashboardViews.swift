import Foundation
import Logging
import MCPCore
import PierAdminAPI
import PierAuth
import PierConsole
import PierGateway
import PierHTTP
import PierServer
import PierStore

/// What the dashboard reads and changes: the gateway and the server manager (the same code as `/api/v1`), the
/// endpoints' sessions, the activity log and the tool lists clients hold.
enum DashboardViews {
    static func data(
        config: PierConfiguration, server: MCPServer, endpoints: [MCPEndpoint], gateway: Gateway, manager: ServerManager, store: any StoreBackend,
        authorization: AuthorizationService?, logger: Logger
    ) -> DashboardData {
        DashboardData(
            overview: { ConsoleViews.overview(config: config, server: server, endpoints: endpoints, gateway: gateway, dashboard: true) },
            servers: { servers(config: config, server: server, gateway: gateway, manager: manager) },
            serverAction: { name, action, user in await act(manager, name, action, user) },
            addServer: { fields, user in await add(manager, fields, user) },
            sessions: { sessions(server: server, endpoints: endpoints) },
            endSession: { id in
                for endpoint in endpoints where await endpoint.endSession(id) { return true }
                return false
            },
            activity: { query in await activity(store, query) },
            connectors: { connectors(server: server, endpoints: endpoints) },
            clients: { await clients(store, preregistered: config.preregisteredClient?.id) },
            revoke: { what, id, user in await revoke(store, what, id, user: user, authorization: authorization) },
            verify: { name, password in await Passwords.verify(name: name, password: password, in: store) },
            prepareSignIn: { await firstUser(store, directory: config.dataDirectory, logger: logger) })
    }

    /// With no user at all, makes `admin` with a random password, written to `initial-admin-password` in the data
    /// directory (readable by the user running Pier only; never logged). Returns what the sign-in page should say.
    static func firstUser(_ store: any StoreBackend, directory: String, logger: Logger) async -> String? {
        guard let users = try? await store.listUsers(), users.isEmpty else { return nil }
        let password = Base64URL.random(bytes: 12)
        let path = absolutePath(directory) + "/initial-admin-password"
        do {
            try FileManager.default.createDirectory(atPath: absolutePath(directory), withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: path, contents: Data((password + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
                return "There is no user yet: make one with pier users add NAME."
            }
            try await store.createUser(UserRecord(name: "admin", passwordHash: Passwords.hash(password)))
        } catch {
            return "There is no user yet: make one with pier users add NAME."
        }
        logger.notice("the dashboard's first user is admin; its password is in a file readable only by this user", metadata: ["file": "\(path)"])
        return "Pier has made the first user, admin. Its password is in \(path) (readable only by the user running Pier): sign in, then delete the file. pier users add NAME makes more users."
    }

    /// Registered clients (and, from the grants, those known by a metadata document), live grants, API keys.
    static func clients(_ store: any StoreBackend, preregistered: String?) async -> Result<ClientsPage, ActivityUnavailable> {
        do {
            let registered = try await store.listClients()
            let tokens = try await store.liveTokens(now: .now())
            let keys = try await store.listAPIKeys()
            let families = Dictionary(grouping: tokens, by: \.familyID)
            let names = Dictionary(registered.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            let grants = families.values.compactMap { family -> GrantRow? in
                guard let first = family.first else { return nil }
                let expires = family.map(\.expiresAt.milliseconds).max() ?? first.expiresAt.milliseconds
                return GrantRow(
                    family: first.familyID, client: names[first.clientID] ?? first.clientID, subject: first.subject,
                    scopes: Set(family.flatMap(\.scopes)).sorted().joined(separator: " "), resource: family.compactMap(\.resource).first,
                    expires: ISOTime.string(milliseconds: expires))
            }.sorted { ($0.subject, $0.client) < ($1.subject, $1.client) }
            let grantsByClient = Dictionary(grouping: families.values.compactMap(\.first), by: \.clientID).mapValues(\.count)
            var rows = registered.map { c in
                OAuthClientRow(
                    id: c.id, name: c.name, kind: c.id == preregistered ? "pre-registered" : "DCR", redirectURIs: c.redirectURIs,
                    created: ISOTime.string(milliseconds: c.createdAt.milliseconds), grants: grantsByClient[c.id] ?? 0)
            }
            for id in grantsByClient.keys.sorted() where names[id] == nil && id.hasPrefix("https://") {
                rows.append(OAuthClientRow(id: id, name: id, kind: "CIMD", redirectURIs: [], created: nil, grants: grantsByClient[id] ?? 0))
            }
            let keyRows = keys.sorted { $0.createdAt.milliseconds > $1.createdAt.milliseconds }.map {
                KeyRow(
                    name: $0.name, prefix: $0.prefix, created: ISOTime.string(milliseconds: $0.createdAt.milliseconds),
                    revoked: $0.revokedAt.map { ISOTime.string(milliseconds: $0.milliseconds) })
            }
            return .success(ClientsPage(clients: rows, grants: grants, keys: keyRows))
        } catch {
            return .failure(ActivityUnavailable())
        }
    }

    /// Revokes a grant, deletes a client with its grants, or revokes an API key, and notes it in the activity log.
    /// A revoked grant's tokens stop at once on this instance (`authorization` forgets them), within the token
    /// cache's second on the others.
    static func revoke(
        _ store: any StoreBackend, _ what: DashboardData.Revocable, _ id: String, user: String, authorization: AuthorizationService?
    ) async -> String? {
        let action: String
        do {
            switch what {
            case .grant:
                let revoked = try await store.revokeFamily(id)
                authorization?.forgetCached(family: id)
                guard revoked > 0 else { return "no live grant \(id)" }
                action = "oauth.grant.revoke"
            case .client:
                let families = Set(try await store.liveTokens(now: .now()).filter { $0.clientID == id }.map(\.familyID))
                for family in families {
                    _ = try await store.revokeFamily(family)
                    authorization?.forgetCached(family: family)
                }
                guard try await store.deleteClient(id: id) else { return "no registered client \(id)" }
                action = "oauth.client.delete"
            case .key:
                _ = try await APIKeys.revoke(id, in: store)
                action = "apikey.revoke"
            }
        } catch let error as AdminError {
            return error.message
        } catch {
            return "the store cannot be changed now"
        }
        let event = ActivityEvent(
            at: .now(), server: "", tool: action, durationMilliseconds: 0, status: "ok", subject: "user:\(user)", kind: ActivityEvent.admin, detail: id)
        _ = try? await store.append([event])
        return nil
    }

    static func servers(config: PierConfiguration, server: MCPServer, gateway: Gateway, manager: ServerManager) -> [ServerRow] {
        let figures = Dictionary(grouping: server.toolFigures, by: \.source)
        func tools(_ source: String) -> [ToolFigures] {
            (figures[source] ?? []).map {
                ToolFigures(
                    tool: $0.tool, calls: $0.calls, errors: $0.errors, p50Milliseconds: milliseconds($0.p50), p95Milliseconds: milliseconds($0.p95))
            }
        }
        let uptime = Int(server.statistics.uptime.components.seconds)
        let apps = ConsoleViews.apps(config: config, server: server).map {
            ServerRow(
                name: $0.name, kind: "app", state: "running", source: "app", uptimeSeconds: uptime, restarts: 0, tools: $0.tools, lastError: nil, stderr: [],
                figures: tools($0.name))
        }
        let statuses = Dictionary(gateway.statuses.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let now = WallClock.milliseconds()
        let upstreams = manager.list().map { view -> ServerRow in
            let name = view["name"]?.stringValue ?? ""
            let status = statuses[name]
            return ServerRow(
                name: name, kind: view["transport_type"]?.stringValue ?? "stdio", state: view["status"]?.stringValue ?? "stopped",
                source: view["source"]?.stringValue ?? "config", uptimeSeconds: status?.startedAt.map { Int((now - $0) / 1000) },
                restarts: status?.restarts ?? 0, tools: status?.tools ?? 0, lastError: view["last_error"]?.stringValue, stderr: status?.stderr ?? [],
                figures: tools(UpstreamSpec.source(for: name)))
        }
        return apps + upstreams
    }

    static func milliseconds(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }

    static func act(_ manager: ServerManager, _ name: String, _ action: DashboardData.ServerAction, _ user: String) async -> String? {
        let holder = APIKeys.Holder.user(user)
        do {
            guard let resolved = manager.resolve(name) else { return "no server named \(name)" }
            switch action {
            case .start: _ = try await manager.start(resolved, by: holder)
            case .stop: _ = try await manager.stop(resolved, by: holder)
            case .restart: _ = try await manager.restart(resolved, by: holder)
            case .remove: try await manager.delete(resolved, by: holder)
            }
            return nil
        } catch {
            return error.message
        }
    }

    /// The Add form: a name, then a program and its arguments (split at spaces) or a URL.
    static func add(_ manager: ServerManager, _ fields: [String: String], _ user: String) async -> String? {
        func field(_ name: String) -> String? {
            guard let value = fields[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        var body: JSONObject = ["name": .string(field("name") ?? "")]
        if let url = field("url") {
            if field("command") != nil { return "give a program or a URL, not both" }
            body["url"] = .string(url)
        } else if let command = field("command") {
            body["command"] = .string(command)
            body["args"] = .array((field("args") ?? "").split(separator: " ").map { .string(String($0)) })
        } else {
            return "give a program to run or a URL"
        }
        do {
            _ = try await manager.create(body, by: .user(user))
            return nil
        } catch {
            return error.field.map { "\($0): \(error.message)" } ?? error.message
        }
    }

    static func sessions(server: MCPServer, endpoints: [MCPEndpoint]) -> (sessions: [SessionRow], clients: [ClientRow]) {
        let open = endpoints.flatMap(\.openSessions).map { s in
            SessionRow(
                id: s.id, transport: s.transport, endpoint: s.endpoint, client: [s.clientName ?? "unknown", s.clientVersion].compactMap { $0 }.joined(separator: " "),
                protocolVersion: s.protocolVersion ?? "—", idleSeconds: (s.idleSeconds * 10).rounded() / 10)
        }
        let clients = server.recentClients.all.map { c in
            ClientRow(
                client: [c.name, c.version].compactMap { $0 }.joined(separator: " "), protocolVersion: c.protocolVersion, endpoint: c.endpoint, subject: c.subject,
                firstSeen: ISOTime.string(milliseconds: c.firstSeen), lastSeen: ISOTime.string(milliseconds: c.lastSeen), requests: c.requests)
        }
        return (open, clients)
    }

    /// A page of the activity log matching `query`: the store is read in pages of 500, at most 20 of them, until
    /// the page is full.
    static func activity(_ store: any StoreBackend, _ query: ActivityQuery) async -> Result<[ActivityRow], ActivityUnavailable> {
        var found: [ActivityRow] = []
        var before = query.before
        // Live updates ask only for what is newer than what they have: a page of `limit` is enough.
        let pageSize = query.after == nil ? 500 : query.limit
        do {
            for _ in 0..<20 {
                let events = try await store.recent(limit: pageSize, before: before)
                for e in events {
                    if let after = query.after, e.id <= after { return .success(found) }
                    guard matches(e, query) else { continue }
                    found.append(
                        ActivityRow(
                            id: e.id, at: ISOTime.string(milliseconds: e.at.milliseconds), kind: e.kind, server: e.server, action: e.tool, status: e.status,
                            subject: e.subject, durationMilliseconds: e.durationMilliseconds, detail: e.detail))
                    if found.count == query.limit { return .success(found) }
                }
                guard events.count == pageSize, let last = events.last else { break }
                before = last.id
            }
            return .success(found)
        } catch {
            return .failure(ActivityUnavailable())
        }
    }

    static func matches(_ e: ActivityEvent, _ q: ActivityQuery) -> Bool {
        (q.tool == nil || e.tool == q.tool) && (q.server == nil || e.server == q.server) && (q.subject == nil || e.subject == q.subject)
            && (q.outcome == nil || e.status == q.outcome) && (q.kind == nil || e.kind == q.kind)
    }

    static func connectors(server: MCPServer, endpoints: [MCPEndpoint]) -> [ConnectorRow] {
        let copies = server.toolListCopies.all
        return endpoints.map { endpoint in
            let live = server.liveToolList(in: endpoint.view)
            let current = Set(live.names)
            let stale = copies.filter { $0.view == endpoint.view.name && $0.fingerprint != live.fingerprint }.map { copy in
                let theirs = Set(copy.names)
                return StaleCopy(
                    client: copy.client, fetchedAt: ISOTime.string(milliseconds: copy.fetchedAt), missing: theirs.subtracting(current).count,
                    added: current.subtracting(theirs).count)
            }
            return ConnectorRow(name: endpoint.metricsName, path: endpoint.configuration.endpointPath, tools: live.names, stale: stale)
        }
    }
}
