import CoreMetrics
public import Hummingbird
import Synchronization

/// Counts every HTTP request by method, route and status (`pier_http_requests_total`) and times it
/// (`pier_http_request_duration_seconds{method, route}`, to the response's head; a stream's body is not timed).
/// `route` is the matched route's pattern (`/connectors/{name}/mcp` style, never a raw path), or `unmatched`, so
/// the label sets stay bounded.
public struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let meters = HTTPMeters()

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            meters.record(method: request.method.rawValue, route: context.endpointPath, status: response.status.code, duration: ContinuousClock.now - started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            meters.record(method: request.method.rawValue, route: context.endpointPath, status: status, duration: ContinuousClock.now - started)
            throw error
        }
    }
}

/// The handles behind ``HTTPMetricsMiddleware``, made once per label set.
final class HTTPMeters: Sendable {
    private struct Key: Hashable {
        let method: String
        let route: String
        let status: Int
    }
    private struct RouteKey: Hashable {
        let method: String
        let route: String
    }
    private let counters = Mutex<[Key: Counter]>([:])
    private let timers = Mutex<[RouteKey: Timer]>([:])
    static let methods: Set<String> = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

    func record(method raw: String, route matched: String?, status: Int, duration: Duration) {
        let method = Self.methods.contains(raw) ? raw : "other"
        // Hummingbird names a path no route matched `NotFound`; every real route starts with a slash.
        let route = matched.flatMap { $0.hasPrefix("/") ? Self.pattern($0) : nil } ?? "unmatched"
        let counter = counters.withLock { table in
            let key = Key(method: method, route: route, status: status)
            if let found = table[key] { return found }
            let made = Counter(label: "pier_http_requests_total", dimensions: [("method", method), ("route", route), ("status", String(status))])
            table[key] = made
            return made
        }
        counter.increment()
        let timer = timers.withLock { table in
            let key = RouteKey(method: method, route: route)
            if let found = table[key] { return found }
            let made = Timer(label: "pier_http_request_duration_seconds", dimensions: [("method", method), ("route", route)])
            table[key] = made
            return made
        }
        let (seconds, attoseconds) = duration.components
        timer.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// Hummingbird's `:name` parameters written `{name}`, as OpenAPI does.
    static func pattern(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
        }.joined(separator: "/")
    }
}
