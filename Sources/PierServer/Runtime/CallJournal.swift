import PierSync

/// One finished `tools/call`.
public struct CallRecord: Sendable, Equatable {
    public let tool: String
    /// The app or upstream server the tool belongs to.
    public let source: String
    /// Who called it: the verified subject of the caller's token, when it had one.
    public let subject: String?
    public let failed: Bool
    public let duration: Duration
    public let finishedAt: ContinuousClock.Instant
}

/// What the server has done since it started: for dashboards and `/health`-style views.
public struct ServerStatistics: Sendable {
    public let uptime: Duration
    public let toolCount: Int
    public let resourceCount: Int
    public let promptCount: Int
    public let totalCalls: Int
    public let failedCalls: Int
    /// The latest calls, newest first.
    public let recentCalls: [CallRecord]
}

/// Counts tool calls and keeps the latest few (a fixed-size ring, so memory stays flat).
final class CallJournal: Sendable {
    private struct State {
        var total = 0
        var failed = 0
        var recent: [CallRecord] = []
        var next = 0
        var tools: [String: ToolTally] = [:]
    }
    let capacity: Int
    let started = ContinuousClock.now
    private let state = Locked(State())

    /// Told of every finished call (the activity log); it must return at once.
    let observer: (@Sendable (CallRecord) -> Void)?

    /// Counts calls by tool for the metrics backend.
    let metrics: ServerMetrics?

    init(capacity: Int = 50, observer: (@Sendable (CallRecord) -> Void)? = nil, metrics: ServerMetrics? = nil) {
        self.capacity = capacity
        self.observer = observer
        self.metrics = metrics
    }

    func record(tool: String, source: String, subject: String?, failed: Bool, duration: Duration) {
        let record = CallRecord(tool: tool, source: source, subject: subject, failed: failed, duration: duration, finishedAt: .now)
        observer?(record)
        metrics?.toolCall(tool: tool, source: source, failed: failed, duration: duration)
        state.withLock { s in
            s.total += 1
            if failed { s.failed += 1 }
            if s.recent.count < capacity { s.recent.append(record) } else { s.recent[s.next] = record }
            s.next = (s.next + 1) % capacity
            if s.tools[tool] != nil || s.tools.count < Self.toolLimit {
                s.tools[tool, default: ToolTally(source: source)].add(duration: duration, failed: failed)
            }
        }
    }

    /// At most this many tools are tallied (a catalogue that keeps changing must not grow the table forever).
    static let toolLimit = 2_000

    /// Each tool's calls so far on this instance, with the median and 95th percentile of its latest durations.
    var toolFigures: [ToolCallFigures] {
        state.withLock { s in s.tools.map { $0.value.figures(tool: $0.key) } }.sorted { $0.tool < $1.tool }
    }

    /// Totals and the latest calls, newest first.
    var snapshot: (total: Int, failed: Int, recent: [CallRecord]) {
        state.withLock { s in
            let ordered = s.recent.count < capacity ? s.recent : Array(s.recent[s.next...] + s.recent[..<s.next])
            return (s.total, s.failed, ordered.reversed())
        }
    }
}

/// One tool's calls on this instance: counts, and the latest durations for percentiles.
public struct ToolCallFigures: Sendable, Equatable {
    public let tool: String
    /// The app or upstream server the tool belongs to.
    public let source: String
    public let calls: Int
    public let errors: Int
    /// Of the latest calls (up to 512).
    public let p50: Duration
    public let p95: Duration
}

/// The running tally behind ``ToolCallFigures``: a ring of the latest durations.
struct ToolTally {
    let source: String
    var calls = 0
    var errors = 0
    var durations: [Duration] = []
    var next = 0
    static let kept = 512

    init(source: String) { self.source = source }

    mutating func add(duration: Duration, failed: Bool) {
        calls += 1
        if failed { errors += 1 }
        if durations.count < Self.kept { durations.append(duration) } else { durations[next] = duration }
        next = (next + 1) % Self.kept
    }

    func figures(tool: String) -> ToolCallFigures {
        let sorted = durations.sorted()
        func percentile(_ p: Double) -> Duration {
            guard !sorted.isEmpty else { return .zero }
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
        }
        return ToolCallFigures(tool: tool, source: source, calls: calls, errors: errors, p50: percentile(0.5), p95: percentile(0.95))
    }
}

extension MCPServer {
    /// Each called tool's figures on this instance (calls, errors, p50/p95 latency), by name.
    public var toolFigures: [ToolCallFigures] { journal.toolFigures }

    /// Uptime, what is registered, and the tool calls so far.
    public var statistics: ServerStatistics {
        let (tools, resources, prompts) = catalog.withLock { ($0.tools.count, $0.resources.count + $0.templates.count, $0.prompts.count) }
        let calls = journal.snapshot
        return ServerStatistics(
            uptime: ContinuousClock.now - journal.started, toolCount: tools, resourceCount: resources, promptCount: prompts,
            totalCalls: calls.total, failedCalls: calls.failed, recentCalls: calls.recent)
    }
}
