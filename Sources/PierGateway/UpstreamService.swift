public import Logging
public import MCPClient
import MCPCore
public import PierServer
public import ServiceLifecycle
import Synchronization

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
    }
    let state: Mutex<State>

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
        self.state = Mutex(
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
            update { s in
                if case .failed = s.supervisor.phase {} else { s.supervisor.stopped() }
            }
        }
        while !Task.isCancelled {
            update { $0.supervisor.starting() }
            var reason = await runOnce()
            // A child's last words say more than its exit status.
            if let lines = processInfo?().stderr.suffix(3), !lines.isEmpty { reason += "; stderr: " + lines.joined(separator: " | ") }
            unpublish()
            if Task.isCancelled { return }
            if case .failed = state.withLock({ $0.supervisor.phase }) {
                logger.error("upstream failed", metadata: ["reason": "\(reason)"])
                return
            }
            let decision = update { $0.supervisor.wentAway(at: .now, reason: reason, random: Double.random(in: 0...1)) }
            switch decision {
            case .giveUp(let why):
                logger.error("upstream failed", metadata: ["reason": "\(why)"])
                return
            case .restart(let delay):
                logger.warning("upstream went away; restarting", metadata: ["reason": "\(reason)", "after_ms": "\(Int(delay.inSeconds * 1000))"])
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
