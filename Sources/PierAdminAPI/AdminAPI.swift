import CoreMetrics
public import HTTPTypes
public import Hummingbird
public import Logging
public import MCPCore
import NIOCore
public import PierHTTP
public import PierStore

/// The REST admin API under `/api/v1`: servers, tools, connectors, activity, sessions and API keys, described by
/// the OpenAPI document it serves at `/api/v1/openapi.json`. Every route, the document and unknown paths included,
/// answers only to a live API key.
public struct AdminAPI: Sendable {
    /// What the API reads of the rest of Pier.
    public struct Views: Sendable {
        /// The merged catalogue's tools, each with its owner.
        public var tools: @Sendable () -> [JSONValue]
        /// Each MCP endpoint and the tools it lists.
        public var connectors: @Sendable () -> [JSONValue]
        /// Open legacy sessions and recently seen 2026-07-28 clients.
        public var sessions: @Sendable () -> JSONObject

        public init(
            tools: @escaping @Sendable () -> [JSONValue], connectors: @escaping @Sendable () -> [JSONValue], sessions: @escaping @Sendable () -> JSONObject
        ) {
            self.tools = tools
            self.connectors = connectors
            self.sessions = sessions
        }
    }

    /// One route, in the OpenAPI document's notation (`{name}` for a path parameter).
    public struct Route: Sendable, Hashable {
        public let method: HTTPRequest.Method
        public let path: String
    }

    public let keys: APIKeys
    public let manager: ServerManager
    let store: any StoreBackend
    let views: Views
    let logger: Logger
    /// Take the client address from `Forwarded` or `X-Forwarded-For` (set when Pier runs behind a proxy it trusts).
    let trustForwarded: Bool
    /// Requests a minute per API key (`RATE_LIMIT_PER_MINUTE`), and the buckets; `nil`: no limit.
    public var rateLimit: (limiter: any RateLimiter, limit: RateLimit)?
    static let bodyLimit = 1024 * 1024

    public init(keys: APIKeys, manager: ServerManager, store: any StoreBackend, views: Views, trustForwarded: Bool = false, logger: Logger) {
        self.keys = keys
        self.manager = manager
        self.store = store
        self.views = views
        self.trustForwarded = trustForwarded
        self.logger = logger
    }

    typealias Handler = @Sendable (Request, Parameters, APIKeys.Holder) async throws(AdminError) -> Response

    /// Every route the API serves.
    public static var routes: [Route] { table.map(\.route) }

    /// Registers every route, and answers unknown paths under `/api/v1` with 401 or 404.
    public func addRoutes<Context: ConnectionAwareRequestContext>(to router: Router<Context>) {
        for entry in Self.table {
            let handler = entry.handler(self)
            router.on(RouterPath(entry.route.path.replacing("{name}", with: ":name")), method: entry.route.method) { request, context in
                await self.serve(request, context: context, handler)
            }
        }
        let unknown: Handler = { request, _, _ throws(AdminError) in
            let allowed = Self.methods(for: request.uri.path)
            guard !allowed.isEmpty else { throw .notFound("no admin route \(request.method) \(request.uri.path)") }
            var error = AdminError(
                status: .methodNotAllowed, code: "method_not_allowed", message: "\(request.uri.path) answers \(allowed.map(\.rawValue).joined(separator: ", "))")
            error.allow = allowed.map(\.rawValue).joined(separator: ", ")
            throw error
        }
        let methods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete, .head, .options, .trace, HTTPRequest.Method("QUERY")!]
        // The router does not fall back to a wildcard for a known path, so each route's path answers its other methods.
        var paths = Set(Self.table.map(\.route.path))
        paths.formUnion(["/api/v1", "/api/v1/**"])
        for path in paths {
            for method in methods where !Self.table.contains(where: { $0.route.path == path && $0.route.method == method }) {
                router.on(RouterPath(path.replacing("{name}", with: ":name")), method: method) { request, context in
                    await self.serve(request, context: context, unknown)
                }
            }
        }
    }

    /// Authenticates, runs the handler, and turns a refusal into its JSON error.
    func serve<Context: ConnectionAwareRequestContext>(_ request: Request, context: Context, _ handler: Handler) async -> Response {
        let address = clientAddress(request, peer: context.channel?.remoteAddress?.ipAddress)
        do throws(AdminError) {
            let holder = try await keys.authenticate(authorization: request.headers[.authorization], address: address)
            if let rateLimit, case .refused(let wait) = await rateLimit.limiter.take("admin|key:\(holder.name)", limit: rateLimit.limit) {
                Counter(label: "pier_rate_limited_total", dimensions: [("endpoint", "admin"), ("limit", "caller")]).increment()
                throw AdminError.overLimit(perMinute: rateLimit.limit.perMinute, retryAfter: wait)
            }
            return try await handler(request, context.parameters, holder)
        } catch {
            if error.status == .unauthorized || error.status == .tooManyRequests {
                logger.notice("admin API refused", metadata: ["address": "\(address)", "path": "\(request.uri.path)", "status": "\(error.status.code)"])
            }
            return AdminReply.error(error)
        }
    }

    /// Whether `request` carries a live API key (failed attempts count against its address as on any admin route).
    public func admits<Context: ConnectionAwareRequestContext>(_ request: Request, context: Context) async -> Bool {
        let address = clientAddress(request, peer: context.channel?.remoteAddress?.ipAddress)
        return (try? await keys.authenticate(authorization: request.headers[.authorization], address: address)) != nil
    }

    /// The methods the routes at `path` answer (path parameters match any one segment).
    static func methods(for path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let routes = table.map(\.route)
        // A literal path (`/api/v1/servers/from-github`) is that route, not `{name}`.
        let exact = routes.filter { $0.path.split(separator: "/").map(String.init) == segments }
        if !exact.isEmpty { return exact.map(\.method) }
        return routes.filter { route in
            let pattern = route.path.split(separator: "/", omittingEmptySubsequences: true)
            return pattern.count == segments.count && zip(pattern, segments).allSatisfy { $0 == "{name}" || $0 == $1 }
        }.map(\.method)
    }

    /// Whom failed attempts are counted against: the peer, or behind a trusted proxy the `Forwarded`/`X-Forwarded-For` client.
    func clientAddress(_ request: Request, peer: String?) -> String {
        Forwarded.clientAddress(request, peer: peer, trusted: trustForwarded)
    }

    /// The request body as a JSON object.
    static func body(_ request: Request) async throws(AdminError) -> JSONObject {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: bodyLimit)
        } catch {
            throw .invalid(nil, "the body must be JSON of at most \(bodyLimit) bytes")
        }
        let bytes = Array(buffer.readableBytesView)
        guard !bytes.isEmpty else { throw .invalid(nil, "a JSON object body is required") }
        guard let value = try? JSONValue(parsing: bytes, maxDepth: 32) else { throw .invalid(nil, "the body is not valid JSON") }
        guard case .object(let object) = value else { throw .invalid(nil, "the body must be a JSON object") }
        return object
    }

    /// A whole-number query parameter within `range`, or `fallback` when absent.
    static func query(_ request: Request, _ name: String, in range: ClosedRange<Int64>, default fallback: Int64?) throws(AdminError) -> Int64? {
        guard let text = request.uri.queryParameters.get(name) else { return fallback }
        guard let number = Int64(text), range.contains(number) else { throw .invalid(name, "a whole number from \(range.lowerBound) to \(range.upperBound)") }
        return number
    }

    /// The server a `{name}` path parameter names.
    func serverName(_ parameters: Parameters) throws(AdminError) -> String {
        let raw = parameters.get("name") ?? ""
        guard let name = manager.resolve(raw) else { throw .notFound("no server named \"\(raw)\"") }
        return name
    }

    /// The revision an `If-Match` header expects (`"3"`, `W/"3"` or `3`).
    static func expectedRevision(_ request: Request) throws(AdminError) -> Int64? {
        guard var text = request.headers[.ifMatch] else { return nil }
        if text.hasPrefix("W/") { text.removeFirst(2) }
        let digits = text.filter { $0 != "\"" }
        guard let revision = Int64(digits) else { throw .invalid("If-Match", "the server's revision, as its ETag gives it") }
        return revision
    }
}
