import MCPCore
import PierApps
import PierServer
import PierSync
import Testing

/// The connection core as a value: no server, no I/O.
@Suite struct ConnectionStateMachineTests {
    static let modernMeta: JSONValue = [MetaKey.protocolVersion: "2026-07-28", MetaKey.clientCapabilities: [:]]

    static func request(_ id: Int, _ method: String, _ params: JSONObject = [:]) -> JSONRPCRequest {
        JSONRPCRequest(id: .int(id), method: method, params: params)
    }

    static func initialize(version: String = "2025-06-18", capabilities: JSONObject = [:]) -> JSONRPCRequest {
        request(0, Method.initialize, ["protocolVersion": .string(version), "capabilities": .object(capabilities), "clientInfo": ["name": "c"]])
    }

    static let ok = JSONRPCResponse(id: .int(1), result: [:])
    static let failed = JSONRPCResponse(id: .int(1), error: .invalidParams("no"))

    @Test func eachMessageIsRoutedOnceByItsEra() throws {
        var stdio = ConnectionStateMachine(setup: .stdio)
        guard case .call(let spec, let client) = stdio.route(Self.request(1, Method.toolsList, ["_meta": Self.modernMeta])) else {
            Issue.record("a 2026-07-28 request is a call")
            return
        }
        #expect(spec?.name == Method.toolsList && client.version == .v2026_07_28)
        guard case .call(_, let before) = stdio.route(Self.request(2, Method.toolsList)) else { Issue.record("legacy call"); return }
        #expect(before.version == .latestLegacy)
        guard case .initialize = stdio.route(Self.initialize()) else { Issue.record("initialize"); return }
        #expect(stdio.initialize(Self.initialize()) == .v2025_06_18)
        guard case .call(_, let after) = stdio.route(Self.request(3, Method.toolsList)) else { Issue.record("legacy call"); return }
        #expect(after.version == .v2025_06_18 && after.info?["name"] == "c")
        guard case .reject(let error) = stdio.route(Self.request(4, Method.toolsList, ["_meta": [MetaKey.protocolVersion: "2030-01-01"]])) else {
            Issue.record("an unknown modern version is refused")
            return
        }
        #expect(error.code == -32022)
        guard case .listen(let filter) = stdio.route(Self.request(5, Method.subscriptionsListen, ["_meta": Self.modernMeta, "notifications": ["toolsListChanged": true]])) else {
            Issue.record("listen")
            return
        }
        #expect(filter.toolsListChanged)
        guard case .reject = stdio.route(Self.request(6, Method.subscriptionsListen, ["_meta": Self.modernMeta])) else { Issue.record("bad filter"); return }
        guard case .call(let unknown, _) = stdio.route(Self.request(7, "no/such")) else { Issue.record("unknown method"); return }
        #expect(unknown == nil)
        // A Streamable HTTP session serves only its own era: _meta does not make a request modern there.
        let session = ConnectionStateMachine(setup: .session("s1"))
        guard case .call(_, let legacy) = session.route(Self.request(8, Method.toolsList, ["_meta": Self.modernMeta])) else { Issue.record("session"); return }
        #expect(legacy.version == .assumedWithoutHeader && legacy.sessionID == "s1")
    }

    @Test func aSessionChangeIsKeptOnlyWhenTheResponseHasNoError() {
        var machine = ConnectionStateMachine(setup: .httpSSE("c1"))
        _ = machine.initialize(Self.initialize())
        let setLevel = Self.request(1, Method.setLevel, ["level": "debug"])
        let spec = MethodSpec.named(Method.setLevel)
        let began = machine.begin(setLevel.id, signal: CancelSignal())
        #expect(began)
        machine.end(setLevel, spec: spec, response: Self.failed)
        #expect(machine.client?.logLevel == nil)
        machine.end(setLevel, spec: spec, response: nil)  // cancelled: nothing was answered
        #expect(machine.client?.logLevel == nil)
        machine.end(setLevel, spec: spec, response: Self.ok)
        #expect(machine.client?.logLevel == .debug)
        let subscribe = Self.request(2, Method.resourcesSubscribe, ["uri": "a://1"])
        machine.end(subscribe, spec: MethodSpec.named(Method.resourcesSubscribe), response: Self.failed)
        #expect(machine.subscriptions.isEmpty)
        machine.end(subscribe, spec: MethodSpec.named(Method.resourcesSubscribe), response: Self.ok)
        #expect(machine.subscriptions == ["a://1"])
        machine.end(Self.request(3, Method.resourcesUnsubscribe, ["uri": "a://1"]), spec: MethodSpec.named(Method.resourcesUnsubscribe), response: Self.ok)
        #expect(machine.subscriptions.isEmpty)
        // Before initialize, a change applies to the client the transport assumes.
        var fresh = ConnectionStateMachine(setup: .httpSSE("c2"))
        fresh.end(setLevel, spec: spec, response: Self.ok)
        #expect(fresh.client?.logLevel == .debug && fresh.client?.version == .v2024_11_05)
    }

    @Test func callsInFlightCanBeCancelledAndTheConnectionAbandoned() {
        var machine = ConnectionStateMachine(setup: .stdio)
        let (a, b) = (CancelSignal(), CancelSignal())
        let beganA = machine.begin(.int(1), signal: a)
        let beganB = machine.begin(.string("x"), signal: b)
        #expect(beganA && beganB)
        #expect(machine.signal(for: .int(1)) === a && machine.signal(for: .string("x")) === b && machine.signal(for: .int(9)) == nil)
        machine.end(Self.request(1, Method.toolsList), spec: nil, response: Self.ok)
        #expect(machine.signal(for: .int(1)) == nil)
        let fired = machine.abandon()
        #expect(fired.count == 1 && fired[0] === b && machine.phase == .gone)
        let late = machine.begin(.int(2), signal: CancelSignal())
        #expect(!late, "a call starting after the client left is cancelled at once")
    }

    @Test func listensEndWithTheInputAndHearWhatTheyAskedFor() {
        var machine = ConnectionStateMachine(setup: .stdio)
        let filter = try! SubscriptionFilter(params: ["notifications": ["resourceSubscriptions": ["a://1"]]])
        let signal = CancelSignal()
        let opened = machine.openListen(.string("L"), filter: filter, signal: signal)
        #expect(opened)
        let heard = machine.notifications(for: .resourceUpdated(uri: "a://1"))
        #expect(heard.count == 1 && heard[0].params["_meta"]?[MetaKey.subscriptionID] == "L")
        #expect(machine.notifications(for: .resourceUpdated(uri: "a://2")).isEmpty)
        #expect(machine.notifications(for: .toolsChanged).isEmpty, "no initialized handshake-era client on this stdio yet")
        // The client cancels it: no result.
        let byServer = machine.closeListen(.string("L"))
        #expect(!byServer)
        let reopened = machine.openListen(.string("M"), filter: filter, signal: signal)
        #expect(reopened)
        let ending = machine.endListens()
        #expect(ending.count == 1 && ending[0] === signal && machine.phase == .closing)
        let ended = machine.closeListen(.string("M"))
        #expect(ended, "ended by the server: it gets a result")
        let tooLate = machine.openListen(.string("N"), filter: filter, signal: CancelSignal())
        #expect(!tooLate, "after input ended a listen ends at once")
    }

    @Test func plainNotificationsFollowTheClientsEraAndSubscriptions() {
        var sse = ConnectionStateMachine(setup: .httpSSE("c"))
        #expect(sse.notifications(for: .toolsChanged).map(\.method) == ["notifications/tools/list_changed"])
        #expect(sse.notifications(for: .resourceUpdated(uri: "a://1")).isEmpty)
        sse.end(Self.request(1, Method.resourcesSubscribe, ["uri": "a://1"]), spec: MethodSpec.named(Method.resourcesSubscribe), response: Self.ok)
        #expect(sse.notifications(for: .resourceUpdated(uri: "a://1")).first?.params["uri"] == "a://1")
        var stdio = ConnectionStateMachine(setup: .stdio)
        #expect(stdio.notifications(for: .toolsChanged).isEmpty)
        _ = stdio.initialize(Self.initialize())
        #expect(stdio.notifications(for: .toolsChanged).count == 1)
    }

    @Test func answersFromTheClientGoToTheCallThatAsked() {
        var machine = ConnectionStateMachine(setup: .session("s"))
        _ = machine.initialize(Self.initialize(capabilities: ["elicitation": [:]]))
        #expect(machine.canBeAsked)
        let (first, second) = (ResponseSlot(), ResponseSlot())
        let a = machine.expect(first)
        let b = machine.expect(second)
        #expect(a != b)
        let taken = machine.take(JSONRPCResponse(id: b, result: [:]))
        #expect(taken === second)
        let again = machine.take(JSONRPCResponse(id: b, result: [:]))
        #expect(again == nil, "an answer is taken once")
        machine.forget(a)
        let forgotten = machine.take(JSONRPCResponse(id: a, result: [:]))
        let anonymous = machine.take(JSONRPCResponse(id: nil, error: .parseError()))
        #expect(forgotten == nil && anonymous == nil)
        #expect(!ConnectionStateMachine(setup: .stdio).canBeAsked)
    }
}

/// The connection core with its effects: a real server, no sockets.
@Suite struct MCPConnectionTests {
    static func server() throws -> MCPServer {
        try MCPServer(info: Implementation(name: "t", version: "0"), apps: [ConformanceApp.make()])
    }

    @Test func initializeThenCallsInThatSession() async throws {
        let connection = MCPConnection(server: try Self.server(), setup: .stdio)
        let initialized = await connection.serve(ConnectionStateMachineTests.initialize(), sink: .discard)
        #expect(initialized?.outcome == .result(try Self.server().initializeResult(version: .v2025_06_18)))
        let level = await connection.serve(ConnectionStateMachineTests.request(1, Method.setLevel, ["level": "warning"]), sink: .discard)
        #expect(level?.error == nil && connection.client?.logLevel == .warning)
        let bad = await connection.serve(ConnectionStateMachineTests.request(2, Method.setLevel, ["level": "loud"]), sink: .discard)
        #expect(bad?.error?.code == -32602 && connection.client?.logLevel == .warning)
    }

    @Test func notificationsCancelledStopsTheCall() async throws {
        let connection = MCPConnection(server: try Self.server(), setup: .stdio)
        let slow = ConnectionStateMachineTests.request(7, Method.toolsCall, ["name": "test_slow_operation", "arguments": ["seconds": 30]])
        let started = ContinuousClock.now
        async let response = connection.serve(slow, sink: .discard)
        try await Task.sleep(for: .milliseconds(100))
        connection.receive(JSONRPCNotification(method: Method.cancelled, params: ["requestId": 7]))
        #expect(await response == nil)
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func aHandlersRequestRidesTheCallsStreamAndTheAnswerComesBack() async throws {
        let connection = MCPConnection(server: try Self.server(), setup: .stdio)
        _ = await connection.serve(ConnectionStateMachineTests.initialize(capabilities: ["elicitation": [:]]), sink: .discard)
        let asked = AsyncStream<JSONRPCRequest>.makeStream(bufferingPolicy: .unbounded)
        let call = ConnectionStateMachineTests.request(3, Method.toolsCall, ["name": "test_elicitation", "arguments": ["message": "Name?"]])
        async let response = connection.serve(call, sink: .discard) { request in asked.continuation.yield(request) }
        var requests = asked.stream.makeAsyncIterator()
        let request = try #require(await requests.next())
        #expect(request.method == "elicitation/create" && request.params["message"] == "Name?")
        #expect(connection.receive(JSONRPCResponse(id: request.id, result: ["action": "accept", "content": ["username": "ada", "email": "a@x.io"]])))
        let result = try #require(await response)
        #expect(result.error == nil)
        #expect(!connection.receive(JSONRPCResponse(id: request.id, result: [:])), "nobody waits for a second answer")
    }
}

/// Changes announced before the answer of the call that made them.
@Suite struct EventOrderTests {
    @Test func eventsAreNumberedInTheOrderPublished() async throws {
        let server = try MCPServer(info: Implementation(name: "t", version: "0"), apps: [])
        server.resourceUpdated(uri: "a://0")
        let (events, after) = server.numberedEvents()
        #expect(after == 1 && server.lastEventNumber == 1)
        server.resourceUpdated(uri: "a://1")
        server.resourceUpdated(uri: "a://2")
        var seen: [NumberedEvent] = []
        for await event in events {
            seen.append(event)
            if seen.count == 2 { break }
        }
        #expect(seen.map(\.number) == [2, 3] && seen.map(\.event) == [.resourceUpdated(uri: "a://1"), .resourceUpdated(uri: "a://2")])
    }

    @Test func anAnswerWaitsUntilTheChangesBeforeItAreDelivered() async throws {
        let cursor = EventCursor(at: 3)
        await cursor.wait(through: 2)  // delivered already: no wait
        let answered = Flag()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await cursor.wait(through: 5)
                answered.set()
            }
            try await Task.sleep(for: .milliseconds(50))
            cursor.advance(to: 4)
            try await Task.sleep(for: .milliseconds(50))
            #expect(!answered.isSet, "event 5 is not out yet")
            cursor.advance(to: 5)
            try await group.waitForAll()
            #expect(answered.isSet)
        }
        let ended = EventCursor(at: 0)
        ended.finish()
        await ended.wait(through: 100)
    }
}

final class Flag: Sendable {
    private let value = Locked(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
