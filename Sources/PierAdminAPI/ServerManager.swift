public import Logging
import MCPCore
public import PierGateway
public import PierStore
public import ServiceLifecycle
import PierSync

/// Makes the running upstream for a definition (the concrete transports are chosen by the application).
public protocol UpstreamBuilder: Sendable {
    /// - Throws: 400 for what only the builder can check.
    func upstream(for definition: ServerDefinition) throws(AdminError) -> UpstreamService
}

/// The control plane of the upstream servers: the registry in the store, applied to the running ``Gateway``.
///
/// Servers from the config file are listed with `source: "config"`; they can be started, stopped, restarted and
/// inspected, never changed or deleted here. Servers added through the API are store records: every change bumps
/// the record's revision and is applied at once on this instance, on every other instance sharing the store as
/// soon as it hears of it (``Settings/announce``), and in any case within ``Settings/pollInterval`` (the run loop
/// reconciles with ``RegistryPlan``). Exactly the servers that
/// changed are started, stopped or replaced.
public final class ServerManager: Service, Sendable {
    public struct Settings: Sendable {
        /// How often the registry is read for changes made by other instances.
        public var pollInterval: Duration = .seconds(5)
        /// How long one server's install from git may take.
        public var installTimeout: Duration = .seconds(600)
        /// Tells the other instances that the registry changed, so they read it now rather than at their next poll
        /// (their ``ServerManager/registryChanged()``); `nil`: one instance.
        public var announce: (@Sendable () async -> Void)?

        public init() {}
    }

    /// A store record as applied here.
    struct Applied: Sendable {
        var id: String
        var revision: Int64
        var definition: ServerDefinition
        var createdAt: Timestamp
        var updatedAt: Timestamp
    }

    /// An install from git that is running or failed.
    enum Install: Sendable {
        case running
        case failed(String)
    }

    struct State: Sendable {
        var applied: [String: Applied] = [:]
        var installs: [String: Install] = [:]
        /// Install progress and output, per server.
        var installLogs: [String: UpstreamEventLog] = [:]
        /// `false` until the registry was read once.
        var loaded = false
    }

    struct InstallJob: Sendable {
        let name: String
        let id: String
        let revision: Int64
    }

    let store: any StoreBackend
    let gateway: Gateway
    let builder: any UpstreamBuilder
    public let policy: ServerPolicy
    /// The config file's servers, in the file's order.
    let configured: [ServerDefinition]
    let installer: GitInstaller
    let settings: Settings
    let logger: Logger
    /// Changes to the running servers happen one at a time.
    let serial = ConcurrencyGate(limit: 1, queueLimit: 100_000)
    let state = Locked(State())
    let jobs: AsyncStream<InstallJob>
    let enqueue: AsyncStream<InstallJob>.Continuation
    /// Reads of the registry asked for (by the poll, or by another instance's change); at most one waits.
    let syncs: AsyncStream<Void>
    let requestSync: AsyncStream<Void>.Continuation

    public init(
        store: any StoreBackend, gateway: Gateway, builder: any UpstreamBuilder, policy: ServerPolicy, configured: [ServerDefinition], installer: GitInstaller,
        settings: Settings = Settings(), logger: Logger
    ) {
        self.store = store
        self.gateway = gateway
        self.builder = builder
        self.policy = policy
        self.configured = configured
        self.installer = installer
        self.settings = settings
        self.logger = logger
        (jobs, enqueue) = AsyncStream.makeStream(of: InstallJob.self, bufferingPolicy: .bufferingOldest(1_024))
        (syncs, requestSync) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Another instance changed the registry: this one reads it now.
    public func registryChanged() { requestSync.yield() }

    var configuredNames: Set<String> { Set(configured.map(\.name)) }

    /// Loads the registry, then keeps this instance in line with it and runs installs, until shutdown.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    for await job in self.jobs {
                        if Task.isCancelled { return }
                        await self.runInstall(job)
                    }
                }
                // Pier starts this once the schema is current, but PostgreSQL may be away: retry the first read quickly.
                var attempts = 0
                while !Task.isCancelled, !(await self.sync()) {
                    attempts += 1
                    if attempts % 40 == 0 { self.logger.warning("server registry still unreadable; servers added through the API are not running yet") }
                    try? await Task.sleep(for: .milliseconds(250))
                }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: self.settings.pollInterval)
                        self.requestSync.yield()
                    }
                }
                for await _ in self.syncs {
                    if Task.isCancelled { break }
                    _ = await self.sync()
                }
                self.enqueue.finish()
                group.cancelAll()
            }
        }
    }

    /// Applies what changed in the store since the last look; `false` when the store could not be read.
    @discardableResult
    func sync() async -> Bool {
        let records: [UpstreamServerRecord]
        do {
            records = try await store.listServers()
        } catch {
            if state.withLock({ $0.loaded }) { logger.warning("server registry unreadable", metadata: ["error": "\(error)"]) }
            return false
        }
        guard (try? await serialized({ () async throws(AdminError) in await reconcile(records) })) != nil else { return false }
        return true
    }

    /// Applies the plan for `records` (under ``serialized(_:)``).
    func reconcile(_ records: [UpstreamServerRecord]) async {
        let applied = state.withLock { s in s.applied.mapValues { RegistryPlan.Applied(id: $0.id, revision: $0.revision) } }
        for action in RegistryPlan.actions(applied: applied, stored: records, reserved: configuredNames) {
            switch action {
            case .remove(let name): await unapply(name)
            case .apply(let record): await apply(record)
            }
        }
        for record in records where configuredNames.contains(record.name) && !state.withLock({ $0.loaded }) {
            logger.warning("a stored server has the name of one in the config file; the file's is used", metadata: ["server": "\(record.name)"])
        }
        state.withLock { $0.loaded = true }
    }

    /// Runs `body` while no other change to the running servers does.
    @discardableResult
    func serialized<T: Sendable>(_ body: () async throws(AdminError) -> T) async throws(AdminError) -> T {
        guard await serial.enter() else { throw .unavailable("Pier is shutting down") }
        defer { serial.leave() }
        return try await body()
    }

    /// Brings the running upstream of `record` in line with it (added, replaced, started or stopped).
    func apply(_ record: UpstreamServerRecord) async {
        var definition: ServerDefinition
        do {
            definition = try Self.definition(of: record, policy: policy)
        } catch {
            // Stored when it was allowed, refused now (a stricter PIER_ALLOWED_COMMANDS, say): listed as failed, not run.
            logger.error("stored server cannot be used; left stopped", metadata: ["server": "\(record.name)", "error": "\(error)"])
            if state.withLock({ $0.applied[record.name] }) != nil { await gateway.remove(named: record.name) }
            let shown = (try? Self.definition(of: record, policy: ServerPolicy())) ?? ServerDefinition(name: record.name, transport: .stdio(command: "", arguments: [], environment: [:], workingDirectory: nil))
            state.withLock { s in
                s.applied[record.name] = Applied(id: record.id, revision: record.revision, definition: shown, createdAt: record.createdAt, updatedAt: record.updatedAt)
                s.installs[record.name] = .failed("the stored definition is refused now: \(error)")
            }
            return
        }
        definition.enabled = record.enabled
        let entry = Applied(id: record.id, revision: record.revision, definition: definition, createdAt: record.createdAt, updatedAt: record.updatedAt)
        let previous = state.withLock { $0.applied[record.name] }
        if let previous, previous.id == record.id, Self.sameToRun(previous.definition, definition), gateway.upstream(named: record.name) != nil {
            state.withLock { $0.applied[record.name] = entry }
            if definition.enabled {
                gateway.start(named: record.name)
            } else {
                await gateway.stop(named: record.name)
            }
            return
        }
        if previous != nil { await gateway.remove(named: record.name) }
        state.withLock { s in
            s.applied[record.name] = entry
            s.installs[record.name] = nil
        }
        if case .git(let source, let command, let arguments, _) = definition.transport {
            if let installed = installer.installed(record.name, source: source, command: command, arguments: arguments) {
                launch(Self.resolved(definition, installed))
            } else {
                state.withLock { $0.installs[record.name] = .running }
                enqueue.yield(InstallJob(name: record.name, id: record.id, revision: record.revision))
            }
            return
        }
        launch(definition)
    }

    /// The definition a stored record holds, checked against `policy`.
    static func definition(of record: UpstreamServerRecord, policy: ServerPolicy) throws(AdminError) -> ServerDefinition {
        guard case .object(let body)? = try? JSONValue(parsing: record.config) else { throw .invalid(nil, "the stored body is not a JSON object") }
        return try ServerDefinition.parse(body, policy: policy)
    }

    /// The stdio definition of an installed git server.
    static func resolved(_ definition: ServerDefinition, _ installed: InstalledServer) -> ServerDefinition {
        var stdio = definition
        guard case .git(_, _, _, let declared) = definition.transport else { return definition }
        stdio.transport = .stdio(
            command: installed.command, arguments: installed.arguments, environment: installed.environment.merging(declared) { _, user in user },
            workingDirectory: installed.directory)
        return stdio
    }

    /// `true` when `a` and `b` differ at most in what needs no new upstream (`enabled`, `description`).
    static func sameToRun(_ a: ServerDefinition, _ b: ServerDefinition) -> Bool {
        var a = a, b = b
        a.enabled = true
        b.enabled = true
        a.description = nil
        b.description = nil
        return a == b
    }

    /// Adds the upstream for `definition` to the gateway, started unless disabled.
    func launch(_ definition: ServerDefinition) {
        do {
            let upstream = try builder.upstream(for: definition)
            try gateway.add(upstream, start: definition.enabled)
        } catch {
            logger.error("server could not be added", metadata: ["server": "\(definition.name)", "error": "\(error)"])
            state.withLock { $0.installs[definition.name] = .failed("\(error)") }
        }
    }

    /// Stops and forgets the running upstream of a record no longer stored.
    func unapply(_ name: String) async {
        await gateway.remove(named: name)
        state.withLock { s in
            s.applied[name] = nil
            s.installs[name] = nil
        }
    }

    /// Runs one install from git; the server starts if its record is still the one that asked for it.
    func runInstall(_ job: InstallJob) async {
        guard let entry = state.withLock({ $0.applied[job.name] }), entry.id == job.id, entry.revision == job.revision,
            case .git(let source, let command, let arguments, _) = entry.definition.transport
        else { return }
        let name = job.name
        let note: @Sendable (String) -> Void = { [self] line in
            self.state.withLock { s in
                var log = s.installLogs[name] ?? UpstreamEventLog(capacity: 500)
                log.append(UpstreamEvent(at: WallClock.milliseconds(), level: "info", message: line))
                s.installLogs[name] = log
            }
        }
        let outcome: Result<InstalledServer, GitInstaller.Failure>
        do {
            outcome = .success(try await installer.install(name, source: source, command: command, arguments: arguments, log: note))
        } catch {
            outcome = .failure(error)
        }
        try? await serialized { () async throws(AdminError) in
            guard let current = state.withLock({ $0.applied[name] }), current.id == job.id, current.revision == job.revision else { return }
            switch outcome {
            case .success(let installed):
                state.withLock { $0.installs[name] = nil }
                launch(Self.resolved(current.definition, installed))
            case .failure(let failure):
                note("install failed: \(failure.reason)")
                logger.error("server install failed", metadata: ["server": "\(name)", "reason": "\(failure.reason)"])
                state.withLock { $0.installs[name] = .failed(failure.reason) }
            }
        }
    }
}
