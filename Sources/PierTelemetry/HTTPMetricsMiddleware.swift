import CoreMetrics
public import Hummingbird
import PierSync

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
    /// Keyed by what the request gives (method, Hummingbird's matched path, status), so that a request does no
    /// string work once its label set has been seen.
    private struct Key: Hashable {
        let method: String
        let route: String?
        let status: Int
    }
    private struct Meters {
        let counter: Counter
        let timer: Timer
    }
    private let table = Locked<[Key: Meters]>([:])
    static let methods: Set<String> = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

    func record(method raw: String, route matched: String?, status: Int, duration: Duration) {
        let key = Key(method: raw, route: matched, status: status)
        let meters = table.withLock { table in
            if let found = table[key] { return found }
            let method = Self.methods.contains(raw) ? raw : "other"
            // Hummingbird names a path no route matched `NotFound`; every real route starts with a slash.
            let route = matched.flatMap { $0.hasPrefix("/") ? Self.pattern($0) : nil } ?? "unmatched"
            let made = Meters(
                counter: Counter(label: "pier_http_requests_total", dimensions: [("method", method), ("route", route), ("status", String(status))]),
                timer: Timer(label: "pier_http_request_duration_seconds", dimensions: [("method", method), ("route", route)]))
            // Unknown methods all share `other`; only known ones get rows of their own here.
            if Self.methods.contains(raw) { table[key] = made }
            return made
        }
        meters.counter.increment()
        let (seconds, attoseconds) = duration.components
        meters.timer.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// Hummingbird's `:name` parameters written `{name}`, as OpenAPI does.
    static func pattern(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
        }.joined(separator: "/")
    }
}
