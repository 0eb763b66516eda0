import Foundation
import MCPCore

/// `pier doctor URL`: checks an MCP server the way ChatGPT will use it, and says how to fix what it finds.
///
/// It checks the transport (https and the certificate, the path), discovery in both eras (`server/discover`
/// and `initialize`), every tool (names, titles, descriptions, hints, schemas, the count), every widget (MIME
/// type, CSP in both dialects, each asset reachable at a public https URL with CORS), `Origin` handling, OAuth
/// discovery when the server asks for a token (protected-resource metadata → authorization-server metadata →
/// S256, DCR or CIMD, `iss`), and the latency of the first and later requests.
public struct Doctor: Sendable {
    public struct Options: Sendable {
        public var url: String
        /// A bearer token to list the tools of a server that needs one.
        public var token: String?
        /// A PEM file of CAs to trust instead of the system's (a test or private CA).
        public var caFile: String?

        public init(url: String, token: String? = nil, caFile: String? = nil) {
            self.url = url
            self.token = token
            self.caFile = caFile
        }
    }

    let options: Options

    public init(_ options: Options) { self.options = options }

    public func run() async -> DoctorReport {
        var run = DoctorRun(url: options.url, token: options.token)
        do {
            let probe = try Probe(caFile: options.caFile)
            await run.examine(probe)
            await probe.shutdown()
        } catch {
            run.add("https", .blocking, "the CA file \(options.caFile ?? "") cannot be used: \(error)", fix: "give a PEM file of certificates")
        }
        return DoctorReport(url: options.url, findings: run.findings)
    }
}

/// One doctor's run: what it has learnt so far and what it found.
struct DoctorRun {
    let url: String
    let token: String?
    var findings: [Finding] = []
    var origin = ""
    var isHTTPS = false
    var isLoopback = false
    /// The legacy session, when `initialize` gave one.
    var session: String?
    var modern = false
    var legacy = false
    /// Whether the server asked for a token (its tools should then say how to sign in).
    var signsIn = false

    init(url: String, token: String?) {
        self.url = url
        self.token = token
    }

    mutating func add(_ check: String, _ level: Finding.Level, _ message: String, fix: String? = nil) {
        findings.append(Finding(check, level, message, fix: fix))
    }

    var auth: [(String, String)] { token.map { [("Authorization", "Bearer \($0)")] } ?? [] }

    mutating func examine(_ probe: Probe) async {
        guard checkURL() else { return }
        guard await discover(probe) else { return }
        let tools = await listTools(probe)
        checkTools(tools)
        await checkWidgets(probe, tools: tools)
        await checkOrigin(probe)
    }

    /// The URL itself: https, a host ChatGPT can reach, an MCP path.
    mutating func checkURL() -> Bool {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(), let host = parts.host, !host.isEmpty,
            scheme == "http" || scheme == "https"
        else {
            add("url", .blocking, "\(url) is not an http(s) URL", fix: "give the full URL of the MCP endpoint, such as https://pier.example.com/mcp")
            return false
        }
        origin = "\(scheme)://\(host)" + (parts.port.map { ":\($0)" } ?? "")
        isHTTPS = scheme == "https"
        isLoopback = ["localhost", "127.0.0.1", "::1", "[::1]"].contains(host.lowercased()) || host.hasPrefix("127.")
        if isHTTPS {
            add("https", .pass, "the URL is https")
        } else {
            add("https", .blocking, "ChatGPT connects only to https URLs; this one is \(scheme)", fix: "serve it behind TLS (a reverse proxy or a tunnel) and set BASE_URL to the https URL")
        }
        if isLoopback {
            add("url", .warning, "\(host) is this machine's loopback address: ChatGPT cannot reach it", fix: "check the public URL (your tunnel's or proxy's) instead")
        }
        if parts.path.isEmpty || parts.path == "/" {
            add("url", .warning, "the URL has no path; MCP servers usually answer at /mcp", fix: "try \(origin)/mcp")
        }
        return true
    }
}
