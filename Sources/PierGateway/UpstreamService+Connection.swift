import Logging
import MCPClient
import MCPCore
import PierServer
import PierSync

extension UpstreamService {
    enum Outcome {
        /// It ran (or failed after negotiating) and ended.
        case ended(String)
        /// It never negotiated: the next transport may be tried.
        case negotiationFailed(String)
    }

    func connect(_ transport: any ClientTransport) async -> Outcome {
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
                    let tools = self.update { s in
                        s.supervisor.running(at: .now)
                        s.status.protocolVersion = negotiated.version.rawValue
                        s.status.serverName = negotiated.serverInfo["name"]?.stringValue
                        s.status.startedAt = WallClock.milliseconds()
                        s.live = (session, negotiated)
                        return s.status.tools
                    }
                    self.logger.info("upstream running", metadata: ["protocol": "\(negotiated.version)", "via": "\(transport.label)"])
                    self.note("running: protocol \(negotiated.version.rawValue) via \(transport.label), \(tools) tools")
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

    /// Probes the upstream until a probe fails (no answer within the interval, at least 1 s and at most 10 s):
    /// a wedged process (SIGSTOP, a deadlock) is restarted like a crashed one.
    func probe(_ session: ClientSession, negotiated: Negotiated) async throws {
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
    func listen(_ session: ClientSession, negotiated: Negotiated) async {
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
}
