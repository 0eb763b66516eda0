public import Hummingbird

/// `GET /`: what this Pier serves — each MCP URL to paste into ChatGPT, with a copy button; the auth mode; the
/// apps and upstream servers with their state; links to the playground and the dashboard.
public struct LandingPage: Sendable {
    let pages: ConsolePages
    let url: PublicURL
    let overview: @Sendable () -> ConsoleOverview

    /// - Parameters:
    ///   - overview: called once per view, for what Pier serves now.
    public init(pages: ConsolePages, url: PublicURL, overview: @escaping @Sendable () -> ConsoleOverview) {
        self.pages = pages
        self.url = url
        self.overview = overview
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("/") { request, _ in
            let base = url.base(for: request)
            return pages.page("landing", LandingView(overview(), base: base, pinnedBase: url.baseURL != nil, pages: pages))
        }
    }
}

/// The landing page's template values.
struct LandingView {
    struct Endpoint {
        let name: String
        let url: String
        let tools: Int
        let readOnly: Bool
        let signIn: Bool
        let capWarning: String?
    }
    struct Source {
        let name: String
        let state: String
        let healthy: Bool
        let tools: String
    }

    let title = "Pier"
    let version: String
    let auth: String
    let endpoints: [Endpoint]
    let apps: [Source]
    let upstreams: [Source]
    let hasUpstreams: Bool
    let playground: String?
    let dashboard: String?
    /// Set when ChatGPT could not reach the URLs shown: they are plain http, or a loopback name.
    let reachabilityNote: String?
    /// Where the URLs' origin comes from.
    let baseSource: String
    let styles: String
    let script: String

    init(_ o: ConsoleOverview, base: String, pinnedBase: Bool, pages: ConsolePages) {
        version = o.version
        auth = switch o.authMode {
        case "oauth": "OAuth 2.1: Pier's own authorization server signs callers in (ChatGPT registers itself and asks the user to sign in)."
        case "external": "OAuth 2.1 with an external identity provider: Pier accepts its access tokens."
        default: "None: anyone who can reach these URLs can call every tool."
        }
        endpoints = o.endpoints.map {
            Endpoint(name: $0.name, url: base + $0.path, tools: $0.tools, readOnly: $0.readOnly, signIn: $0.signInRequired, capWarning: ToolCaps.warning(for: $0.tools))
        }
        let sources = o.sources.map { Source(name: $0.name, state: $0.state, healthy: $0.state == "running", tools: $0.tools == 1 ? "1 tool" : "\($0.tools) tools") }
        apps = o.sources.indices.filter { o.sources[$0].kind == .app }.map { sources[$0] }
        upstreams = o.sources.indices.filter { o.sources[$0].kind == .upstream }.map { sources[$0] }
        hasUpstreams = !upstreams.isEmpty
        playground = o.playground ? base + "/playground" : nil
        dashboard = o.dashboard ? base + "/dashboard" : nil
        let lower = base.lowercased()
        let loopback = ["://127.", "://localhost", "://[::1]", "://0.0.0.0"].contains { lower.contains($0) }
        if loopback {
            reachabilityNote = "These URLs name this machine's loopback address, which ChatGPT cannot reach. Put Pier behind an https tunnel or proxy and set BASE_URL to its public URL."
        } else if lower.hasPrefix("http://") {
            reachabilityNote = "ChatGPT connects only to https URLs. Serve Pier behind TLS and set BASE_URL to the https URL."
        } else {
            reachabilityNote = nil
        }
        baseSource = pinnedBase ? "from BASE_URL" : "from the address this page was reached at (set BASE_URL to pin them)"
        styles = pages.assetPath("console.css")
        script = pages.assetPath("console.js")
    }
}
