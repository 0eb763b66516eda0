public import Hummingbird
import HTTPTypes
import MCPCore

/// The checks every request passes before it reaches a route: `Host` allowlist (421), `Origin` validation
/// (403, the DNS-rebinding defence) and CORS, including preflight.
public struct EdgeMiddleware<Context: RequestContext>: RouterMiddleware {
    let policy: EdgePolicy

    public init(configuration: MCPHTTPConfiguration) { self.policy = EdgePolicy(configuration: configuration) }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let host = policy.effectiveHost(request)
        guard policy.isAllowedHost(host) else {
            return HTTPReply.jsonRPCError(status: .misdirectedRequest, error: .invalidRequest("Host not allowed"))
        }
        let origin = request.headers[.origin]
        if let origin, !policy.isOriginExempt(request.uri.path), !policy.isAllowedOrigin(origin) {
            return HTTPReply.jsonRPCError(status: .forbidden, error: .invalidRequest("Origin not allowed"))
        }
        let corsOrigin = origin.flatMap { policy.corsAllowOrigin(for: $0) }
        if request.method == .options, let corsOrigin {
            var headers = policy.corsHeaders(allowOrigin: corsOrigin)
            headers[.accessControlAllowMethods] = "GET, POST, DELETE, OPTIONS"
            headers[.accessControlAllowHeaders] =
                request.headers[.accessControlRequestHeaders]
                ?? "Content-Type, Accept, Authorization, Mcp-Session-Id, MCP-Protocol-Version, Mcp-Method, Mcp-Name, Last-Event-ID"
            headers[.accessControlMaxAge] = "600"
            return Response(status: .noContent, headers: headers)
        }
        var response = try await next(request, context)
        if let corsOrigin {
            for field in policy.corsHeaders(allowOrigin: corsOrigin) { response.headers.append(field) }
        }
        return response
    }
}

/// The decisions behind ``EdgeMiddleware``, separate so they can be tested without HTTP.
struct EdgePolicy: Sendable {
    let allowedHosts: [String]
    let allowsAnyHost: Bool
    let allowedOrigins: Set<String>
    let corsOrigins: Set<String>
    let allowLocalhostOrigins: Bool
    let trustForwarded: Bool
    let originExemptPrefixes: [String]

    init(configuration c: MCPHTTPConfiguration) {
        originExemptPrefixes = c.originExemptPrefixes
        allowedHosts = c.allowedHosts.map { $0.lowercased() }
        allowsAnyHost = allowedHosts.contains("*")
        corsOrigins = Set(c.corsOrigins.map { Self.normalizeOrigin($0) })
        allowedOrigins = Set(c.allowedOrigins.map { Self.normalizeOrigin($0) }).union(corsOrigins)
        allowLocalhostOrigins = c.allowLocalhostOrigins
        trustForwarded = c.trustForwardedHeaders
    }

    static func normalizeOrigin(_ origin: String) -> String {
        var o = origin.lowercased()
        while o.hasSuffix("/") { o.removeLast() }
        return o
    }

    func effectiveHost(_ request: Request) -> String? {
        Forwarded.host(request, trusted: trustForwarded) ?? request.head.authority
    }

    /// Splits `name:port` (and `[v6]:port`) to the name.
    static func hostName(_ host: String) -> String {
        let h = host.lowercased()
        if h.hasPrefix("["), let end = h.firstIndex(of: "]") { return String(h[...end]) }
        if let colon = h.lastIndex(of: ":") { return String(h[..<colon]) }
        return h
    }

    static func isLoopbackName(_ name: String) -> Bool {
        name == "localhost" || name == "127.0.0.1" || name == "[::1]" || name.hasSuffix(".localhost")
    }

    func isAllowedHost(_ host: String?) -> Bool {
        if allowsAnyHost { return true }
        guard let host, !host.isEmpty else { return false }
        // Compared byte by byte, ignoring ASCII case, as `host` or as its name without the port; nothing allocated.
        let utf8 = host.utf8
        var nameLength = utf8.count
        if utf8.first == UInt8(ascii: "[") {
            if let close = utf8.firstIndex(of: UInt8(ascii: "]")) { nameLength = utf8.distance(from: utf8.startIndex, to: close) + 1 }
        } else if let colon = utf8.lastIndex(of: UInt8(ascii: ":")) {
            nameLength = utf8.distance(from: utf8.startIndex, to: colon)
        }
        let lowered = utf8.lazy.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        return allowedHosts.contains { allowed in
            allowed.utf8.elementsEqual(lowered) || allowed.utf8.elementsEqual(lowered.prefix(nameLength))
        }
    }

    func isAllowedOrigin(_ origin: String) -> Bool {
        let o = Self.normalizeOrigin(origin)
        if allowedOrigins.contains("*") || allowedOrigins.contains(o) { return true }
        if allowLocalhostOrigins, let rest = o.split(separator: "://", maxSplits: 1).last, o.contains("://") {
            return Self.isLoopbackName(Self.hostName(String(rest)))
        }
        return false
    }

    func isOriginExempt(_ path: String) -> Bool { originExemptPrefixes.contains { path.hasPrefix($0) } }

    func corsAllowOrigin(for origin: String) -> String? {
        if corsOrigins.contains("*") { return "*" }
        return corsOrigins.contains(Self.normalizeOrigin(origin)) ? origin : nil
    }

    func corsHeaders(allowOrigin: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.accessControlAllowOrigin] = allowOrigin
        if allowOrigin != "*" { headers[.vary] = "Origin" }
        headers[.accessControlExposeHeaders] = "Mcp-Session-Id, WWW-Authenticate, MCP-Protocol-Version"
        return headers
    }
}
