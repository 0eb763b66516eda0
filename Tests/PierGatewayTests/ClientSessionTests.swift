import MCPClient
import MCPCore
import PierSync
import Testing

/// A transport whose upstream is a closure: each message Pier sends is answered (or not) by `peer`.
final class ScriptedTransport: ClientTransport {
    typealias Peer = @Sendable (JSONRPCMessage, _ deliver: @Sendable (JSONRPCMessage) async -> Void) async -> Void
    let peer: Peer
    let sent = Locked<[JSONRPCMessage]>([])
    private let inbound = AsyncStream.makeStream(of: JSONRPCMessage.self)

    init(peer: @escaping Peer) { self.peer = peer }

    var label: String { "scripted" }
    var answersInline: Bool { false }

    func run(connected: @Sendable () async -> Void, deliver: @escaping @Sendable (JSONRPCMessage) async -> Void) async throws {
        await connected()
        for await message in inbound.stream { await deliver(message) }
    }

    func send(_ outbound: Outbound, replies: @escaping @Sendable (JSONRPCMessage) async throws -> Void) async throws {
        sent.withLock { $0.append(outbound.message) }
        let continuation = inbound.continuation
        await peer(outbound.message) { continuation.yield($0) }
    }

    func sessionEstablished(protocolVersion: String) async {}
    func resetSession() async {}

    var methods: [String] {
        sent.withLock { list in
            list.compactMap { message in
                switch message {
                case .request(let r): r.method
                case .notification(let n): n.method
                case .response: nil
                }
            }
        }
    }
}

/// A handshake-era upstream: refuses server/discover, answers initialize, echoes tools/call, and for `ask` first
/// asks the client for its roots.
let legacyPeer: ScriptedTransport.Peer = { message, deliver in
    guard case .request(let r) = message else { return }
    switch r.method {
    case Method.discover:
        await deliver(.response(JSONRPCResponse(id: r.id, error: .methodNotFound(r.method))))
    case Method.initialize:
        await deliver(.response(JSONRPCResponse(id: r.id, result: ["protocolVersion": "2025-06-18", "capabilities": ["tools": [:]], "serverInfo": ["name": "up", "version": "1"]])))
    case Method.toolsCall where r.params["name"] == "ask":
        await deliver(.notification(JSONRPCNotification(method: Method.progress, params: ["progressToken": r.meta["progressToken"] ?? .null, "progress": 1])))
        await deliver(.request(JSONRPCRequest(id: .string("s1"), method: "roots/list")))
        // The answer comes back as a response message; the scripted peer answers the call when it sees it.
    case Method.toolsCall:
        await deliver(.response(JSONRPCResponse(id: r.id, result: ["content": [["type": "text", "text": r.params["arguments"]?["text"] ?? ""]], "x-extra": 1])))
    default:
        await deliver(.response(JSONRPCResponse(id: r.id, error: .methodNotFound(r.method))))
    }
}

@Suite struct ClientSessionTests {
    func withSession(_ peer: @escaping ScriptedTransport.Peer, _ body: @Sendable (ClientSession, ScriptedTransport) async throws -> Void) async throws {
        let transport = ScriptedTransport(peer: peer)
        let session = ClientSession(transport: transport, configuration: .init(clientInfo: ["name": "pier", "version": "0"])) { _ in }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await transport.run(connected: {}, deliver: { await session.receive($0) }) }
            group.addTask { await session.runOutbox() }
            try await body(session, transport)
            session.close(.closed)
            group.cancelAll()
        }
    }

    @Test func aHandshakeUpstreamIsInitialisedAfterDiscoverFails() async throws {
        try await withSession(legacyPeer) { session, transport in
            let negotiated = try await session.negotiate()
            #expect(negotiated.version == .v2025_06_18 && !negotiated.isModern)
            #expect(negotiated.serverInfo["name"] == "up")
            #expect(transport.methods == [Method.discover, Method.initialize, Method.initialized])
            let result = try await session.request(Method.toolsCall, params: ["name": "echo", "arguments": ["text": "hi"]])
            #expect(result["x-extra"] == 1)
            #expect(result["content"]?.arrayValue?.first?["text"] == "hi")
        }
    }

    @Test func aModernUpstreamGetsTheClientsCapabilitiesOnEveryRequest() async throws {
        let modern: ScriptedTransport.Peer = { message, deliver in
            guard case .request(let r) = message else { return }
            if r.method == Method.discover {
                await deliver(.response(JSONRPCResponse(id: r.id, result: ["supportedVersions": ["2026-07-28"], "capabilities": ["tools": [:]]])))
            } else {
                await deliver(.response(JSONRPCResponse(id: r.id, result: ["meta": .object(r.meta)])))
            }
        }
        try await withSession(modern) { session, _ in
            #expect(try await session.negotiate().isModern)
            let result = try await session.request(
                Method.toolsList, params: ["_meta": ["openai/locale": "fr"]], clientCapabilities: ["extensions": ["io.modelcontextprotocol/ui": [:]]])
            let meta = result["meta"]
            #expect(meta?[MetaKey.protocolVersion] == "2026-07-28")
            #expect(meta?[MetaKey.clientCapabilities]?["extensions"]?["io.modelcontextprotocol/ui"] != nil)
            #expect(meta?["openai/locale"] == "fr")
        }
    }

    @Test func aTimeoutCancelsTheUpstreamRequest() async throws {
        let silent: ScriptedTransport.Peer = { message, deliver in
            guard case .request(let r) = message, r.method == Method.initialize || r.method == Method.discover else { return }
            if r.method == Method.discover { await deliver(.response(JSONRPCResponse(id: r.id, error: .methodNotFound(r.method)))) }
            else { await deliver(.response(JSONRPCResponse(id: r.id, result: ["protocolVersion": "2025-11-25", "capabilities": [:]]))) }
        }
        try await withSession(silent) { session, transport in
            try await session.negotiate()
            await #expect(throws: ClientError.self) {
                try await session.request(Method.toolsCall, params: ["name": "x"], timeout: .milliseconds(50))
            }
            try await Task.sleep(for: .milliseconds(50))
            #expect(transport.methods.last == Method.cancelled)
        }
    }

    @Test func closingFailsRequestsInFlight() async throws {
        let transport = ScriptedTransport(peer: legacyPeer)
        let session = ClientSession(transport: transport, configuration: .init(clientInfo: [:])) { _ in }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await transport.run(connected: {}, deliver: { await session.receive($0) }) }
            group.addTask { await session.runOutbox() }
            try await session.negotiate()
            group.addTask {
                try await Task.sleep(for: .milliseconds(20))
                session.close(.transport(.closed("the process was killed by signal 9")))
            }
            let started = ContinuousClock.now
            await #expect(throws: ClientError.self) {
                try await session.request(Method.toolsCall, params: ["name": "ask"])
            }
            #expect(ContinuousClock.now - started < .seconds(5))
            // The upstream's roots/list found no request that takes questions: it got an error back.
            let answered = transport.sent.withLock { $0.contains { if case .response(let r) = $0 { r.id == .string("s1") && r.error != nil } else { false } } }
            #expect(answered)
            group.cancelAll()
        }
    }

    @Test func listsFollowCursorsAndStopOnARepeatedOne() async throws {
        let paged: ScriptedTransport.Peer = { message, deliver in
            guard case .request(let r) = message else { return }
            switch r.method {
            case Method.discover:
                await deliver(.response(JSONRPCResponse(id: r.id, result: ["supportedVersions": ["2026-07-28"], "capabilities": ["tools": [:]]])))
            default:
                // Three pages, then a cursor it already gave (a buggy upstream): Pier does not ask for it again.
                let page = r.params["cursor"]?.stringValue.flatMap { Int($0) } ?? 0
                let next: JSONValue = page < 2 ? .string(String(page + 1)) : "1"
                await deliver(.response(JSONRPCResponse(id: r.id, result: ["tools": [["name": .string("t\(page)")]], "nextCursor": next])))
            }
        }
        try await withSession(paged) { session, _ in
            try await session.negotiate()
            let tools = try await session.list(Method.toolsList, key: "tools")
            #expect(tools.map { $0["name"]?.stringValue } == ["t0", "t1", "t2"])
        }
    }
}
