public import Logging
public import ServiceLifecycle
import PierServer
import PierSync

/// Every upstream server behind Pier, each run as a child task of the gateway's one task group. Upstreams can be
/// added, stopped, started, restarted and removed while Pier runs; stopping or removing one returns only once its
/// task has ended (a child process terminated and reaped, its entries out of the catalogue). Stopping the gateway
/// stops them all the same way before ``run()`` returns.
public final class Gateway: Service, Sendable {
    private struct Entry {
        let service: UpstreamService
        /// Set while the upstream's task runs: firing `stop` ends it, `done` fires when it has ended.
        var stop: CancelSignal?
        var done: CancelSignal?
    }
    private let entries: Locked<[Entry]>
    private let launches: AsyncStream<UpstreamService>
    private let launch: AsyncStream<UpstreamService>.Continuation
    private let logger: Logger

    /// - Parameter stopped: names of upstreams to keep stopped until ``start(named:)`` (disabled in the config).
    public init(upstreams: [UpstreamService], stopped: Set<String> = [], logger: Logger) {
        self.entries = Locked(upstreams.map { Entry(service: $0) })
        (launches, launch) = AsyncStream.makeStream(of: UpstreamService.self, bufferingPolicy: .unbounded)
        self.logger = logger
        for upstream in upstreams {
            if stopped.contains(upstream.spec.name) {
                upstream.markStopped()
            } else {
                start(upstream)
            }
        }
    }

    /// The upstreams, in the order they were added.
    public var upstreams: [UpstreamService] { entries.withLock { $0.map(\.service) } }

    /// The status of every upstream, in the order they were added.
    public var statuses: [UpstreamStatus] { upstreams.map(\.status) }

    /// The upstream named `name`.
    public func upstream(named name: String) -> UpstreamService? { entries.withLock { $0.first { $0.service.spec.name == name }?.service } }

    /// Waits until every upstream has had its first start decided (running, or given up or backing off), or
    /// `timeout` passes: a stdio client lists tools once, right after it connects.
    public func waitUntilSettled(timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, upstreams.contains(where: { $0.status.phase == .starting }) {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Adds an upstream and starts it (or, with `start: false`, keeps it stopped until ``start(named:)``).
    /// - Throws: ``GatewayError/duplicate(server:)`` when one of that name is there already.
    public func add(_ service: UpstreamService, start: Bool = true) throws(GatewayError) {
        try entries.withLock { list throws(GatewayError) in
            guard !list.contains(where: { $0.service.spec.name == service.spec.name }) else { throw .duplicate(server: service.spec.name) }
            list.append(Entry(service: service))
        }
        if start {
            self.start(service)
        } else {
            service.markStopped()
        }
    }

    /// Starts upstream `name` unless it runs; `false` when there is none of that name.
    @discardableResult
    public func start(named name: String) -> Bool {
        guard let service = upstream(named: name) else { return false }
        start(service)
        return true
    }

    private func start(_ service: UpstreamService) {
        let fresh = entries.withLock { list -> Bool in
            guard let index = list.firstIndex(where: { $0.service === service }), list[index].stop == nil else { return false }
            list[index].stop = CancelSignal()
            list[index].done = CancelSignal()
            return true
        }
        guard fresh else { return }
        service.markPending()
        if case .terminated = launch.yield(service) {
            // The gateway has stopped: nothing will run it, so nothing may wait for it.
            entries.withLock { list in
                if let index = list.firstIndex(where: { $0.service === service }) {
                    list[index].done?.fire()
                    list[index].stop = nil
                    list[index].done = nil
                }
            }
        }
    }

    /// Stops upstream `name` and waits until it has stopped; `false` when there is none of that name.
    @discardableResult
    public func stop(named name: String) async -> Bool {
        guard let (stop, done) = entries.withLock({ list -> (CancelSignal?, CancelSignal?)? in
            guard let index = list.firstIndex(where: { $0.service.spec.name == name }) else { return nil }
            return (list[index].stop, list[index].done)
        }) else { return false }
        stop?.fire()
        await done?.wait()
        return true
    }

    /// Stops upstream `name` and starts it again (a new process, a new session); `false` when there is none.
    @discardableResult
    public func restart(named name: String) async -> Bool {
        guard await stop(named: name) else { return false }
        return start(named: name)
    }

    /// Stops upstream `name`, waits until it has stopped, and forgets it; `false` when there is none.
    @discardableResult
    public func remove(named name: String) async -> Bool {
        guard await stop(named: name) else { return false }
        entries.withLock { $0.removeAll { $0.service.spec.name == name } }
        return true
    }

    public func run() async throws {
        let count = entries.withLock { $0.count }
        if count > 0 { logger.info("gateway starting", metadata: ["upstreams": "\(count)"]) }
        await withDiscardingTaskGroup { group in
            // Until Pier shuts down, each launch becomes a child task; then every child is cancelled and awaited.
            group.addTask {
                try? await gracefulShutdown()
                self.launch.finish()
            }
            for await service in launches {
                group.addTask { await self.runUntilStopped(service) }
            }
            group.cancelAll()
        }
    }

    /// Runs one upstream until its stop signal fires (or the gateway stops), then marks it stopped.
    private func runUntilStopped(_ service: UpstreamService) async {
        guard let (stop, done) = entries.withLock({ list -> (CancelSignal, CancelSignal)? in
            guard let entry = list.first(where: { $0.service === service }), let stop = entry.stop, let done = entry.done else { return nil }
            return (stop, done)
        }) else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await service.run() }
            group.addTask { await stop.wait() }
            await group.next()
            group.cancelAll()
        }
        entries.withLock { list in
            if let index = list.firstIndex(where: { $0.service === service }), list[index].done === done {
                list[index].stop = nil
                list[index].done = nil
            }
        }
        done.fire()
    }
}
