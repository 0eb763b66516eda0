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
    private let server: MCPServer
    private let configuration: ClientSession.Configuration
    private let childSlots: ConcurrencyGate?
    private let logger: Logger
    private let gate: ConcurrencyGate?
    private let tasks: UpstreamTasks?
    /// Hooks for stdio upstreams: the child's pid and stderr tail, for status.
    public let processInfo: (@Sendable () -> (pid: Int32?, stderr: [String]))?

    private struct State {
        var supervisor: UpstreamSupervisor
        var status: UpstreamStatus
        /// The transport that negotiated last, tried first next time.
        var preferred = 0
        /// Resources the current connection subscribed to upstream (handshake era).
        var subscribed: Set<String> = []
    }
    private let state: Mutex<State>

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
    private func supervise() async {
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
    private func runOnce() async -> String {
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

    private func transportOrder() -> [Int] {
        let preferred = state.withLock { $0.preferred }
        return [preferred] + spec.transports.indices.filter { $0 != preferred }
    }

    private enum Outcome {
        /// It ran (or failed after negotiating) and ended.
        case ended(String)
        /// It never negotiated: the next transport may be tried.
        case negotiationFailed(String)
    }

    private func connect(_ transport: any ClientTransport) async -> Outcome {
        state.withLock { $0.subscribed = [] }
        let changes = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let server = self.server
        let session = ClientSession(transport: transport, configuration: configuration) { [logger] notification in
            switch notification.method {
            case "notifications/tools/list_changed", "notifications/resources/list_changed", "notifications/prompts/list_changed":
                changes.continuation.yield()
            case "notifications/resources/updated":
                // Pier's own subscribers are filtered by what each of them subscribed to.
                if let uri = notification.params["uri"]?.stringValue { server.resourceUpdated(uri: uri) }
            case Method.message:
                logger.info("upstream log", metadata: ["data": "\(notification.params["data"]?.serializedString() ?? "")"])
            default:
                break
            }
        }
        let connected = CancelSignal()
        let negotiatedOnce = CancelSignal()
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await transport.run(connected: { connected.fire() }, deliver: { await session.receive($0) })
                    throw ClientTransportError.closed("the transport ended")
                }
                group.addTask { await session.runOutbox() }
                group.addTask {
                    await connected.wait()
                    try Task.checkCancellation()
                    let negotiated = try await session.negotiate()
                    negotiatedOnce.fire()
                    try await self.refresh(session, negotiated: negotiated)
                    self.update { s in
                        s.supervisor.running(at: .now)
                        s.status.protocolVersion = negotiated.version.rawValue
                        s.status.serverName = negotiated.serverInfo["name"]?.stringValue
                    }
                    self.logger.info("upstream running", metadata: ["protocol": "\(negotiated.version)", "via": "\(transport.label)"])
                    try await withThrowingTaskGroup(of: Void.self) { inner in
                        inner.addTask {
                            for await _ in changes.stream { try await self.refresh(session, negotiated: negotiated) }
                        }
                        inner.addTask { try await self.probe(session, negotiated: negotiated) }
                        inner.addTask { [relist = self.spec.relistInterval] in
                            while true {
                                try await Task.sleep(for: relist)
                                changes.continuation.yield()
                            }
                        }
                        if negotiated.isModern { inner.addTask { await self.listen(session, negotiated: negotiated) } }
                        // Only a failure ends the connection; a listener the upstream refused just stops.
                        for try await _ in inner {}
                    }
                }
                defer { group.cancelAll() }
                try await group.next()
            }
            session.close(.closed)
            tasks?.forget(session: ObjectIdentifier(session))
            return .ended("the upstream stopped")
        } catch {
            session.close(.transport(.closed("\(error)")))
            tasks?.forget(session: ObjectIdentifier(session))
            let why = Self.describe(error)
            if let registration = error as? RegistrationError {
                update { $0.supervisor.failed(registration.message) }
                return .ended(registration.message)
            }
            return negotiatedOnce.isFired ? .ended(why) : .negotiationFailed(why)
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as ClientError: error.description
        case let error as ClientTransportError: error.description
        case let error as RegistrationError: error.message
        case is CancellationError: "cancelled"
        default: String(describing: error)
        }
    }

    /// Reads the lists and puts them in the catalogue.
    private func refresh(_ session: ClientSession, negotiated: Negotiated) async throws {
        let lists = try await UpstreamLists.read(from: session, negotiated: negotiated, timeout: spec.timeout)
        let forwarder = Forwarder(server: spec.name, session: session, timeout: spec.timeout, gate: gate, logger: logger)
        let source = spec.source
        var taken: Set<String> = []
        for other in server.sources where other != source {
            for resource in server.entries(of: other).resources { taken.insert(resource.uri) }
        }
        let entries = try UpstreamCatalog(spec: spec, forwarder: forwarder, tasks: tasks, logger: logger).entries(lists, takenURIs: taken)
        try server.replace(source: source, with: entries)
        if !negotiated.isModern, negotiated.capabilities["resources"]?["subscribe"] == true {
            try await subscribe(session, to: entries.resources.map(\.uri))
        }
        update { s in
            s.status.tools = entries.tools.count
            s.status.resources = entries.resources.count + entries.templates.count
            s.status.prompts = entries.prompts.count
        }
    }

    /// Probes the upstream until a probe fails (no answer within the interval, at least 1 s and at most 10 s):
    /// a wedged process (SIGSTOP, a deadlock) is restarted like a crashed one.
    private func probe(_ session: ClientSession, negotiated: Negotiated) async throws {
        let patience = min(max(spec.probeInterval, .seconds(1)), .seconds(10))
        while true {
            try await Task.sleep(for: spec.probeInterval)
            do {
                _ = try await session.request(negotiated.isModern ? Method.discover : Method.ping, timeout: patience)
            } catch ClientError.timeout {
                throw GatewayError.unresponsive(server: spec.name, seconds: patience.inSeconds)
            }
        }
    }

    /// A 2026-07-28 upstream's list changes come through `subscriptions/listen`; reopened after a pause when it
    /// ends. An upstream that refuses it is left to the probe and to refreshes on reconnect.
    private func listen(_ session: ClientSession, negotiated: Negotiated) async {
        while !Task.isCancelled {
            var notifications: JSONObject = ["toolsListChanged": true, "promptsListChanged": true, "resourcesListChanged": true]
            if negotiated.capabilities["resources"]?["subscribe"] == true {
                notifications["resourceSubscriptions"] = .array(subscribable().map { .string($0) })
            }
            let params: JSONObject = ["notifications": .object(notifications)]
            do {
                _ = try await session.request(
                    Method.subscriptionsListen, params: params,
                    observer: CallObserver(wantsProgress: false, notification: { _ in }, request: { r in .error(.methodNotFound(r.method)) }))
            } catch ClientError.rpc {
                return
            } catch {
                if Task.isCancelled { return }
            }
            try? await Task.sleep(for: .seconds(5))
        }
    }

    /// The upstream resources Pier's clients may subscribe to: every listed one, up to a bound.
    private func subscribable() -> [String] {
        Array(server.entries(of: spec.source).resources.map(\.uri).prefix(Self.subscriptionLimit))
    }

    static let subscriptionLimit = 1_000

    /// Subscribes a handshake-era upstream to `uris` it was not subscribed to yet on this connection, so that its
    /// `notifications/resources/updated` reach Pier (which passes them on only to clients that subscribed).
    private func subscribe(_ session: ClientSession, to uris: [String]) async throws {
        let fresh = state.withLock { s -> [String] in
            let new = uris.prefix(Self.subscriptionLimit).filter { !s.subscribed.contains($0) }
            s.subscribed.formUnion(new)
            return new
        }
        for uri in fresh {
            do {
                _ = try await session.request(Method.resourcesSubscribe, params: ["uri": .string(uri)], timeout: spec.timeout)
            } catch ClientError.rpc(let error) {
                logger.debug("upstream refused a resource subscription", metadata: ["uri": "\(uri)", "error": "\(error.message)"])
            }
        }
    }

    private func unpublish() {
        try? server.replace(source: spec.source, with: CatalogEntries())
        update { s in
            s.status.tools = 0
            s.status.resources = 0
            s.status.prompts = 0
            s.status.protocolVersion = nil
        }
    }

    @discardableResult
    private func update<T>(_ body: (inout State) -> T) -> T {
        state.withLock { s in
            let result = body(&s)
            s.status.phase = s.supervisor.phase
            s.status.starts = s.supervisor.starts
            return result
        }
    }
}
