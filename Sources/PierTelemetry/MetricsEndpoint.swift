public import Hummingbird
import NIOCore
import Prometheus

/// `GET /metrics`: every metric of the process in the Prometheus text format (0.0.4).
public struct MetricsEndpoint<Context: RequestContext>: Sendable {
    /// Who may read the metrics.
    public enum Access: Sendable {
        /// Anyone (Pier listens on loopback only, or `metrics_public` is set).
        case open
        /// Only a request that `admits` returns `true` for (a live admin API key).
        case restricted(admits: @Sendable (Request, Context) async -> Bool)
    }

    let access: Access
    let refresh: @Sendable () -> Void

    /// - Parameters:
    ///   - refresh: called before each scrape, to set the gauges that are read rather than counted (upstreams up,
    ///     open sessions).
    public init(access: Access, refresh: @escaping @Sendable () -> Void = {}) {
        self.access = access
        self.refresh = refresh
    }

    public func addRoutes(to router: Router<Context>) {
        router.get("/metrics") { request, context in
            if case .restricted(let admits) = access, await !admits(request, context) {
                return Response(
                    status: .unauthorized,
                    headers: [.contentType: "text/plain; charset=utf-8", .wwwAuthenticate: "Bearer realm=\"pier-admin\""],
                    body: .init(byteBuffer: ByteBuffer(string: "/metrics needs an admin API key (Authorization: Bearer …) unless metrics_public is set\n")))
            }
            refresh()
            let text = PrometheusBackend.registry.emitToBuffer()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: text)))
        }
    }
}
