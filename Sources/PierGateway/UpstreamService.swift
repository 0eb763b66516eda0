public import Logging
public import MCPClient
import MCPCore
public import PierServer
public import ServiceLifecycle
import PierSync

/// Runs one upstream server for as long as Pier runs: connects, negotiates, reads its lists into the catalogue
/// (only then is it `running`), follows its list changes, probes it, and on any failure takes it out of the
/// catalogue and restarts it as its ``UpstreamSupervisor`` decides.
public final class UpstreamService: Service, Sendable {
    public let spec: UpstreamSpec
    let server: MCPServer
    let configuration: ClientSession.Configuration
    let childSlots: ConcurrencyGate?
    let logger: Logger
    let gate: ConcurrencyGate?
    let tasks: UpstreamTasks?
    /// Hooks for stdio upstreams: the child's pid and stderr tail, for status.
    public let processInfo: (@Sendable () -> (pid: Int32?, stderr: [String]))?

    struct State {
        var supervisor: UpstreamSupervisor
        var status: UpstreamStatus
        /// The transport that negotiated last, tried first next time.
        var preferred = 0
        /// Resources the current connection subscribed to upstream (handshake era).
        var subscribed: Set<String> = []
        /// What Pier did with this upstream, for its logs.
        var events = UpstreamEventLog()
        /// The connection while it is running, for live health checks.
        var live: (session: ClientSession, negotiated: Negotiated)?
        /// The upstream's own tool descriptors, as last listed.
        var upstreamTools: [JSONObject] = []
    }
    let state: Locked<State>

    public init(
        spec: UpstreamSpec, server: MCPServer, configuration: ClientSession.Configuration,
        childSlots: ConcurrencyGate? = nil, tasks: UpstreamTasks? = nil, processInfo: (@Sendable () -> (pid: Int32?, stderr: [String]))? = nil,
        logger: Logger
    ) {
        self.spec = spec
        self.tasks = tasks
        self.server = server
        self.configuration = configuration
        self.childSlots = spec.isChildProcess ? childSlots : nil
        self.processInfo = processInfo
        self.gate = spec.maximumConcurrency.map { ConcurrencyGate(limit: $0, queueLimit: spec.queueLimit) }
        var logger = logger
        logger[metadataKey: "upstream"] = "\(spec.name)"
        self.logger = logger
        self.state = Locked(
            State(supervisor: UpstreamSupervisor(policy: spec.policy, autoRestart: spec.autoRestart), status: UpstreamStatus(name: spec.name, kind: spec.kind, phase: .starting)))
    }

    /// The upstream's status now.
    public var status: UpstreamStatus {
        var status = state.withLock { $0.status }
        if let info = processInfo?() {
            status.pid = info.pid
            status.stderr = info.stderr
        }
        return status
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.supervise()
        }
    }

    /// Start, run, and restart until cancelled or given up.
    func supervise() async {
        defer {
            unpublish()
            let stopped = update { s -> Bool in
                if case .failed = s.supervisor.phase { return false }
                s.supervisor.stopped()
                return true
            }
            if stopped { note("stopped") }
        }
        while !Task.isCancelled {
            let attempt = update { s in
                s.supervisor.starting()
                return s.supervisor.starts
            }
            note(attempt == 1 ? "starting" : "starting again (start \(attempt))")
            var reason = await runOnce()
            // A child's last words say more than its exit status.
            if let lines = processInfo?().stderr.suffix(3), !lines.isEmpty { reason += "; stderr: " + lines.joined(separator: " | ") }
            unpublish()
            if Task.isCancelled { return }
            if case .failed = state.withLock({ $0.supervisor.phase }) {
                logger.error("upstream failed", metadata: ["reason": "\(reason)"])
                note("failed: \(reason)", level: "error", error: reason)
                return
            }
            let decision = update { $0.supervisor.wentAway(at: .now, reason: reason, random: Double.random(in: 0...1)) }
            switch decision {
            case .giveUp(let why):
                logger.error("upstream failed", metadata: ["reason": "\(why)"])
                note("failed: \(why)", level: "error", error: why)
                return
            case .restart(let delay):
                logger.warning("upstream went away; restarting", metadata: ["reason": "\(reason)", "after_ms": "\(Int(delay.inSeconds * 1000))"])
                note("went away: \(reason); restarting in \(Int(delay.inSeconds * 1000)) ms", level: "warning", error: reason)
                try? await Task.sleep(for: delay)
            }
        }
    }

    /// One connection, from the transport's start to its end; returns why it ended.
    func runOnce() async -> String {
        if let childSlots {
            guard await childSlots.enter() else { return "cancelled while waiting for a child-process slot (MAX_CONCURRENT_SERVERS)" }
        }
        defer { childSlots?.leave() }
        let order = transportOrder()
        var reason = "no transport configured"
        for (attempt, index) in order.enumerated() {
            let outcome = await connect(spec.transports[index]())
            switch outcome {
            case .ended(let why):
                state.withLock { $0.preferred = index }
                return why
            case .negotiationFailed(let why):
                reason = why
                if attempt < order.count - 1 { logger.debug("upstream transport did not negotiate; trying the next", metadata: ["reason": "\(why)"]) }
            }
        }
        return reason
    }

    func transportOrder() -> [Int] {
        let preferred = state.withLock { $0.preferred }
        return [preferred] + spec.transports.indices.filter { $0 != preferred }
    }

    func unpublish() {
        try? server.replace(source: spec.source, with: CatalogEntries())
        update { s in
            s.status.tools = 0
            s.status.resources = 0
            s.status.prompts = 0
            s.status.protocolVersion = nil
            s.status.startedAt = nil
            s.live = nil
        }
    }

    /// Marks an upstream that is not started (disabled) as stopped.
    func markStopped() {
        update { $0.supervisor.stopped() }
    }

    /// Marks a stopped upstream whose start was asked for as starting.
    func markPending() {
        update { $0.supervisor.pending() }
    }

    /// Adds a line to this upstream's event log (and, with `error`, makes it the last error).
    public func note(_ message: String, level: String = "info", error: String? = nil) {
        state.withLock { s in
            s.events.append(UpstreamEvent(at: WallClock.milliseconds(), level: level, message: message))
            if let error { s.status.lastError = error }
        }
    }

    /// The last `count` lines of this upstream's event log, oldest first.
    public func events(last count: Int) -> [UpstreamEvent] { state.withLock { $0.events.last(count) } }

    /// Asks the running upstream now (`ping`, or `server/discover`) and returns how long it took to answer.
    /// - Throws: ``GatewayError/unavailable(server:)`` when it is not running, ``GatewayError/unresponsive(server:seconds:)``
    ///   when it does not answer within `timeout`, or the upstream's own error.
    public func check(timeout: Duration) async throws -> Duration {
        guard let live = state.withLock({ $0.live }) else { throw GatewayError.unavailable(server: spec.name) }
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try await live.session.request(live.negotiated.isModern ? Method.discover : Method.ping, timeout: timeout)
        } catch ClientError.timeout {
            throw GatewayError.unresponsive(server: spec.name, seconds: timeout.inSeconds)
        }
        return clock.now - start
    }

    /// Each tool the upstream listed last, under its own name, with the name Pier exposes it under (`nil` when the
    /// `tools` filter leaves it out).
    public var tools: [UpstreamTool] {
        state.withLock { $0.upstreamTools }.compactMap { descriptor in
            guard let name = descriptor["name"]?.stringValue else { return nil }
            return UpstreamTool(
                name: name, exposedAs: spec.tools.admits(name) ? spec.naming.exposed(name) : nil, title: descriptor["title"]?.stringValue,
                description: descriptor["description"]?.stringValue)
        }
    }

    @discardableResult
    func update<T>(_ body: (inout State) -> T) -> T {
        state.withLock { s in
            let result = body(&s)
            s.status.phase = s.supervisor.phase
            s.status.starts = s.supervisor.starts
            return result
        }
    }
}
