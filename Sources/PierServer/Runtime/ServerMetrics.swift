import CoreMetrics
import PierSync

/// The runtime's metrics, through swift-metrics (the backend is chosen by the application):
///
/// - `pier_mcp_requests_total{endpoint, method, outcome}` and `pier_mcp_request_duration_seconds{endpoint, method}`:
///   every JSON-RPC request answered; `method` is one Pier knows, else `other`; `outcome` is `ok`, `error` or
///   `cancelled`.
/// - `pier_tool_calls_total{tool, server, outcome}` and `pier_tool_call_duration_seconds{tool, server}`: every
///   finished `tools/call` of a tool in the catalogue; `server` is the app or upstream it belongs to; `outcome`
///   is `ok` or `error` (a tool error or a failure).
///
/// Label values come from bounded sets only (method names Pier knows, endpoint and tool names of the catalogue),
/// never ids or subjects. The handles are made once per label set and kept.
final class ServerMetrics: Sendable {
    enum Outcome: String { case ok, error, cancelled }

    private struct RequestKey: Hashable {
        let endpoint: String
        let method: String
    }
    private struct RequestMeters {
        let ok: Counter
        let error: Counter
        let cancelled: Counter
        let duration: Timer
    }
    private struct ToolKey: Hashable {
        let tool: String
        let server: String
    }
    private struct ToolMeters {
        let ok: Counter
        let error: Counter
        let duration: Timer
    }

    private let requests = Locked<[RequestKey: RequestMeters]>([:])
    private let tools = Locked<[ToolKey: ToolMeters]>([:])
    /// At most this many tool label sets (a catalogue that keeps changing must not grow the series forever).
    private let toolLimit = 2_000

    /// Counts one answered request of `method` (`nil`: a method Pier does not know) at `endpoint`.
    func request(endpoint: String, method: String?, outcome: Outcome, duration: Duration) {
        let key = RequestKey(endpoint: endpoint == CatalogView.everything.name ? "main" : endpoint, method: method ?? "other")
        let meters = requests.withLock { table in
            if let found = table[key] { return found }
            let labels = [("endpoint", key.endpoint), ("method", key.method)]
            let made = RequestMeters(
                ok: Counter(label: "pier_mcp_requests_total", dimensions: labels + [("outcome", "ok")]),
                error: Counter(label: "pier_mcp_requests_total", dimensions: labels + [("outcome", "error")]),
                cancelled: Counter(label: "pier_mcp_requests_total", dimensions: labels + [("outcome", "cancelled")]),
                duration: Timer(label: "pier_mcp_request_duration_seconds", dimensions: labels))
            table[key] = made
            return made
        }
        switch outcome {
        case .ok: meters.ok.increment()
        case .error: meters.error.increment()
        case .cancelled: meters.cancelled.increment()
        }
        meters.duration.recordNanoseconds(duration.nanoseconds)
    }

    /// Counts one finished call of `tool`, owned by `source` (an app's name, or `upstream/<name>`).
    func toolCall(tool: String, source: String, failed: Bool, duration: Duration) {
        let server = source.hasPrefix("upstream/") ? String(source.dropFirst("upstream/".count)) : source
        let key = ToolKey(tool: tool, server: server)
        let meters = tools.withLock { table -> ToolMeters? in
            if let found = table[key] { return found }
            guard table.count < toolLimit else { return nil }
            let labels = [("tool", tool), ("server", server)]
            let made = ToolMeters(
                ok: Counter(label: "pier_tool_calls_total", dimensions: labels + [("outcome", "ok")]),
                error: Counter(label: "pier_tool_calls_total", dimensions: labels + [("outcome", "error")]),
                duration: Timer(label: "pier_tool_call_duration_seconds", dimensions: labels))
            table[key] = made
            return made
        }
        guard let meters else { return }
        (failed ? meters.error : meters.ok).increment()
        meters.duration.recordNanoseconds(duration.nanoseconds)
    }
}

extension Duration {
    /// The duration in whole nanoseconds (what swift-metrics' timers take).
    package var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
