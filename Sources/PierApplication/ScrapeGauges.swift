import CoreMetrics
import PierGateway
import PierHTTP
import PierSync

/// The figures `/metrics` reads at scrape time rather than counts as they happen:
///
/// - `pier_upstream_up{server}`: 1 while an upstream runs, else 0;
/// - `pier_upstream_tools{server}`: the tools it lists;
/// - `pier_upstream_restarts_total{server}`: its restarts (a counter, grown by what the supervisor counted since
///   the last scrape);
/// - `pier_sessions{endpoint}`: open legacy sessions and HTTP+SSE streams.
///
/// An upstream that is removed takes its series with it.
final class ScrapeGauges: Sendable {
    private struct Upstream {
        let up: Gauge
        let tools: Gauge
        let restarts: Counter
        var counted: Int
    }
    private let gateway: Gateway
    private let endpoints: [MCPEndpoint]
    private let upstreams = Locked<[String: Upstream]>([:])

    init(gateway: Gateway, endpoints: [MCPEndpoint]) {
        self.gateway = gateway
        self.endpoints = endpoints
    }

    func refresh() {
        let statuses = gateway.statuses
        upstreams.withLock { table in
            let live = Set(statuses.map(\.name))
            for (name, gone) in table where !live.contains(name) {
                gone.up.destroy()
                gone.tools.destroy()
                gone.restarts.destroy()
                table[name] = nil
            }
            for status in statuses {
                let labels = [("server", status.name)]
                var entry = table[status.name] ?? Upstream(
                    up: Gauge(label: "pier_upstream_up", dimensions: labels), tools: Gauge(label: "pier_upstream_tools", dimensions: labels),
                    restarts: Counter(label: "pier_upstream_restarts_total", dimensions: labels), counted: 0)
                entry.up.record(status.phase == .running ? 1 : 0)
                entry.tools.record(status.tools)
                if status.restarts > entry.counted { entry.restarts.increment(by: Int64(status.restarts - entry.counted)) }
                entry.counted = status.restarts
                table[status.name] = entry
            }
        }
        for endpoint in endpoints {
            Gauge(label: "pier_sessions", dimensions: [("endpoint", endpoint.metricsName)]).record(endpoint.liveSessionCount)
        }
    }
}
