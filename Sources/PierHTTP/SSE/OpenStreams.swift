import CoreMetrics
import PierServer

/// `pier_open_streams{endpoint, kind}`: the SSE streams open now. `kind` is `response` (a POST answered as a
/// stream), `session` (a session's GET stream), `listen` (`subscriptions/listen`) or `legacy_sse` (2024-11-05).
struct OpenStreams {
    private let meter: Meter

    /// Counts a stream as open until ``close()``.
    init(_ kind: String, endpoint: String) {
        meter = Meter(label: "pier_open_streams", dimensions: [("endpoint", endpoint), ("kind", kind)])
        meter.increment()
    }

    func close() { meter.decrement() }
}

extension MCPEndpoint {
    /// The endpoint's label in metrics: `main` for `/mcp`, else the connector's name.
    public var metricsName: String { configuration.endpointPath == "/mcp" ? "main" : view.name }
}
