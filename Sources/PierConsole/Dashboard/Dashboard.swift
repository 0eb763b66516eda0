import Foundation
import HTTPTypes
public import Hummingbird
import MCPCore
import NIOCore
import PierAuth
public import PierHTTP

/// `/dashboard`: Pier for the people who run it — Servers (state, figures, start/stop/restart, add/remove, a live
/// stderr tail), Sessions, Activity (filtered, paged, live) and Connectors (tool counts, stale copies) — behind a
/// sign-in with Pier's users. Server-rendered from Mustache templates, a little plain JavaScript for live updates
/// over SSE (`/dashboard/events`).
///
/// The session is an HttpOnly, `SameSite=Strict` cookie scoped to `/dashboard` (`Secure` when Pier's URL is
/// https); every POST carries the session's CSRF token, and the edge refuses foreign origins besides. Failed
/// sign-ins are limited per client address.
public struct Dashboard: Sendable {
    let pages: ConsolePages
    let data: DashboardData
    let sessions: DashboardSessions
    let url: PublicURL
    let failures = LocalRateLimiter()
    let streams: DashboardStreams
    static let cookie = "pier_dashboard"
    static let failureLimit = RateLimit(perMinute: 10)

    public init(pages: ConsolePages, data: DashboardData, sessions: DashboardSessions, url: PublicURL, maximumStreams: Int = 32) {
        self.pages = pages
        self.data = data
        self.sessions = sessions
        self.url = url
        self.streams = DashboardStreams(limit: maximumStreams)
    }

    public func addRoutes<Context: ConnectionAwareRequestContext>(to router: Router<Context>) {
        router.get("/dashboard/login") { request, _ in
            if await signedIn(request) != nil { return Self.redirect("/dashboard") }
            let hint = await data.prepareSignIn()
            return pages.page(
                "dashboard-login", LoginView(pages: pages, error: nil, next: Self.safeNext(request.uri.queryParameters["next"].map(String.init)), hint: hint))
        }
        router.post("/dashboard/login") { request, context in await login(request, peer: context.channel?.remoteAddress?.ipAddress) }
        router.post("/dashboard/logout") { request, _ in
            await withForm(request) { _, fields in
                if let token = request.cookies[Self.cookie]?.value { await sessions.end(token) }
                var response = Self.redirect("/dashboard/login")
                response.setCookie(expiredCookie(request))
                return response
            }
        }
        router.get("/dashboard") { request, _ in await page(request) { session in pages.page("dashboard-servers", ServersView(self, session, request)) } }
        router.get("/dashboard/servers/:name") { request, context in
            let name = context.parameters.get("name") ?? ""
            return await page(request) { session in
                guard let row = data.servers().first(where: { $0.name == name }) else {
                    return pages.page("dashboard-missing", MissingView(pages: pages, session: session, what: "server \(name)"), status: .notFound)
                }
                return pages.page("dashboard-server", ServerView(self, session, row, request: request))
            }
        }
        router.post("/dashboard/servers") { request, _ in
            await withForm(request) { session, fields in
                var given = fields
                given["csrf"] = nil
                if let problem = await data.addServer(given, session.user) { return Self.redirect("/dashboard?error=" + Self.query(problem)) }
                return Self.redirect("/dashboard?notice=" + Self.query("added \(fields["name"] ?? "")"))
            }
        }
        router.post("/dashboard/servers/:name/:action") { request, context in
            let name = context.parameters.get("name") ?? ""
            let action = DashboardData.ServerAction(rawValue: context.parameters.get("action") ?? "")
            return await withForm(request) { session, _ in
                guard let action else { return Self.redirect("/dashboard?error=" + Self.query("unknown action")) }
                if let problem = await data.serverAction(name, action, session.user) { return Self.redirect("/dashboard?error=" + Self.query(problem)) }
                let done = ["start": "started", "stop": "stopped", "restart": "restarted", "remove": "removed"][action.rawValue] ?? action.rawValue
                return Self.redirect(action == .remove ? "/dashboard?notice=" + Self.query("\(done) \(name)") : "/dashboard/servers/\(Self.query(name))?notice=" + Self.query(done))
            }
        }
        router.get("/dashboard/sessions") { request, _ in await page(request) { session in pages.page("dashboard-sessions", SessionsView(self, session, request)) } }
        router.post("/dashboard/sessions/:id/end") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await withForm(request) { _, _ in
                let ended = await data.endSession(id)
                return Self.redirect("/dashboard/sessions?notice=" + Self.query(ended ? "ended session \(id)" : "no open session \(id)"))
            }
        }
        router.get("/dashboard/activity") { request, _ in
            await page(request) { session in
                let query = ActivityView.query(request)
                let rows = await data.activity(query)
                return pages.page("dashboard-activity", ActivityView(self, session, request, query: query, rows: rows))
            }
        }
        router.get("/dashboard/clients") { request, _ in
            await page(request) { session in
                let found = await data.clients()
                return pages.page("dashboard-clients", ClientsView(self, session, request, found: found))
            }
        }
        router.post("/dashboard/clients/revoke") { request, _ in
            await withForm(request) { session, fields in
                guard let what = fields["what"].flatMap(DashboardData.Revocable.init(rawValue:)), let id = fields["id"], !id.isEmpty else {
                    return Self.redirect("/dashboard/clients?error=" + Self.query("nothing to revoke"))
                }
                if let problem = await data.revoke(what, id, session.user) { return Self.redirect("/dashboard/clients?error=" + Self.query(problem)) }
                return Self.redirect("/dashboard/clients?notice=" + Self.query("revoked \(what.rawValue) \(id)"))
            }
        }
        router.get("/dashboard/connectors") { request, _ in await page(request) { session in pages.page("dashboard-connectors", ConnectorsView(self, session)) } }
        router.get("/dashboard/events") { request, context in
            guard await signedIn(request) != nil else { return Response(status: .unauthorized, headers: [.cacheControl: "no-store"]) }
            return streams.events(request, data: data, liveness: context.channel)
        }
    }

    // MARK: signing in

    func login(_ request: Request, peer: String?) async -> Response {
        let address = peer ?? "unknown"
        guard let fields = await FormBody.read(request) else { return Response(status: .contentTooLarge) }
        let next = Self.safeNext(fields["next"])
        if case .refused(let wait) = await failures.peek(address, limit: Self.failureLimit) {
            return pages.page(
                "dashboard-login", LoginView(pages: pages, error: "Too many failed sign-ins from this address; try again in \(wait) s.", next: next),
                status: .tooManyRequests, headers: [.retryAfter: String(wait)])
        }
        let name = fields["username"] ?? ""
        guard await data.verify(name, fields["password"] ?? "") else {
            _ = await failures.take(address, limit: Self.failureLimit)
            return pages.page("dashboard-login", LoginView(pages: pages, error: "Wrong user name or password.", next: next), status: .unauthorized)
        }
        do {
            let (token, _) = try await sessions.start(user: name)
            var response = Self.redirect(next)
            response.setCookie(cookie(token, request))
            return response
        } catch {
            return pages.page("dashboard-login", LoginView(pages: pages, error: "The session could not be stored; try again.", next: next), status: .serviceUnavailable)
        }
    }

    func signedIn(_ request: Request) async -> DashboardSessions.Session? {
        guard let token = request.cookies[Self.cookie]?.value, !token.isEmpty else { return nil }
        return await sessions.session(token)
    }

    /// A page for a signed-in user, else the way to the sign-in page.
    func page(_ request: Request, _ body: (DashboardSessions.Session) async -> Response) async -> Response {
        guard let session = await signedIn(request) else {
            return Self.redirect("/dashboard/login?next=" + Self.query(request.uri.path))
        }
        return await body(session)
    }

    /// A form POST for a signed-in user whose CSRF token matches, else 403.
    func withForm(_ request: Request, _ body: (DashboardSessions.Session, [String: String]) async -> Response) async -> Response {
        guard let session = await signedIn(request) else { return Self.forbidden("Sign in first.") }
        guard let fields = await FormBody.read(request) else { return Response(status: .contentTooLarge) }
        guard let csrf = fields["csrf"], ConstantTime.equal(csrf, session.csrf) else { return Self.forbidden("The form has expired; reload the page.") }
        return await body(session, fields)
    }

    func isSecure(_ request: Request) -> Bool { url.base(for: request).hasPrefix("https://") }

    func cookie(_ token: String, _ request: Request) -> Cookie {
        Cookie(
            name: Self.cookie, value: token, maxAge: Int(DashboardSessions.lifetime.components.seconds), path: "/dashboard", secure: isSecure(request),
            httpOnly: true, sameSite: .strict)
    }

    func expiredCookie(_ request: Request) -> Cookie {
        Cookie(name: Self.cookie, value: "", maxAge: 0, path: "/dashboard", secure: isSecure(request), httpOnly: true, sameSite: .strict)
    }

    // MARK: helpers

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    static func forbidden(_ message: String) -> Response {
        Response(status: .forbidden, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: message + "\n")))
    }

    /// `next` when it is a dashboard path (never another site), else `/dashboard`.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/dashboard"), !next.hasPrefix("//"), !next.contains("\\"), !next.contains("\r"), !next.contains("\n") else { return "/dashboard" }
        return next
    }

    /// `text` percent-encoded for a query value.
    static func query(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
