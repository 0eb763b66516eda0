import Logging
import MCPCore
@testable import PierHTTP
import PierServer
import PierSync
import Testing

/// Sessions shared through a ``SessionDirectory``, and the session cap, without sockets: a directory in memory
/// stands for the store two instances share.
@Suite struct SharedSessionTests {
    final class Directory: SessionDirectory {
        let sessions = Locked<[String: SharedSession]>([:])
        let touches = Locked(0)
        func save(_ session: SharedSession) async throws { sessions.withLock { $0[session.id] = session } }
        func load(_ id: String) async throws -> SharedSession? { sessions.withLock { $0[id] } }
        func touch(_ id: String) async throws -> SharedSession? {
            touches.withLock { $0 += 1 }
            return sessions.withLock { $0[id] }
        }
        func remove(_ id: String) async throws -> Bool { sessions.withLock { $0.removeValue(forKey: id) != nil } }
    }

    static func store(_ directory: Directory?, maxSessions: Int = 100, touchEvery: Duration = .seconds(5)) throws -> SessionStore {
        var configuration = MCPHTTPConfiguration()
        configuration.sessionDirectory = directory
        configuration.maxSessions = maxSessions
        configuration.sessionTouchInterval = touchEvery
        return SessionStore(
            server: try MCPServer(info: Implementation(name: "t", version: "0"), apps: []), view: .everything, configuration: configuration,
            logger: .init(label: "test"))
    }

    static func initialize(_ session: LegacySession, version: String = "2025-06-18") async {
        let request = JSONRPCRequest(
            id: .int(1), method: "initialize",
            params: ["protocolVersion": .string(version), "capabilities": ["sampling": [:]], "clientInfo": ["name": "c", "version": "1"]])
        _ = await session.connection.serve(request, sink: .discard)
    }

    /// Instances A and B on one directory, each marking use at every request, and a session initialized on A.
    static func twoInstancesWithASession() async throws -> (SessionStore, SessionStore, LegacySession) {
        let directory = Directory()
        let a = try store(directory, touchEvery: .zero)
        let b = try store(directory, touchEvery: .zero)
        let opened = try #require(await a.create())
        await initialize(opened)
        await a.share(opened)
        return (a, b, opened)
    }

    @Test func anotherInstanceTakesUpASessionWithItsState() async throws {
        let directory = Directory()
        let a = try Self.store(directory)
        let b = try Self.store(directory)
        let opened = try #require(await a.create())
        await Self.initialize(opened)
        let level = JSONRPCRequest(id: .int(2), method: "logging/setLevel", params: ["level": "warning"])
        _ = await opened.connection.serve(level, sink: .discard)
        await a.share(opened)
        guard case .live(let taken) = await b.find(opened.id) else { Issue.record("B did not take up the session"); return }
        #expect(taken.version == .v2025_06_18)
        #expect(taken.connection.client?.logLevel == .warning)
        #expect(taken.connection.client?.info?["name"] == "c")
        #expect(taken.connection.client?.sessionID == opened.id)
        #expect(taken.connection.canBeAsked)
        // Asking again finds the same session object, not a second copy.
        guard case .live(let again) = await b.find(opened.id) else { Issue.record("lost"); return }
        #expect(again === taken)
    }

    @Test func aSessionOfAnotherEndpointIsNotTakenUp() async throws {
        let directory = Directory()
        try await directory.save(
            SharedSession(id: "x", endpoint: "/connectors/readonly/mcp", protocolVersion: .v2025_06_18, capabilities: [:], clientInfo: nil, logLevel: nil, subscriptions: []))
        guard case .unknown = await (try Self.store(directory)).find("x") else { Issue.record("served on the wrong endpoint"); return }
    }

    @Test func aSessionEndedElsewhereEndsHereAtItsNextMark() async throws {
        let (a, b, opened) = try await Self.twoInstancesWithASession()
        guard case .live = await b.find(opened.id) else { Issue.record("B did not take it up"); return }
        #expect(await a.remove(opened.id))
        guard case .expired = await b.find(opened.id) else { Issue.record("B still serves an ended session"); return }
        guard case .expired = await a.find(opened.id) else { Issue.record("A forgot it ended the session"); return }
        #expect(await !b.remove(opened.id))
    }

    @Test func aChangeMadeOnOneInstanceReachesTheOtherAtItsNextMark() async throws {
        let (a, b, opened) = try await Self.twoInstancesWithASession()
        guard case .live(let onB) = await b.find(opened.id) else { Issue.record("B did not take it up"); return }
        #expect(onB.connection.client?.logLevel == nil)
        _ = await opened.connection.serve(JSONRPCRequest(id: .int(2), method: "logging/setLevel", params: ["level": "error"]), sink: .discard)
        _ = await opened.connection.serve(JSONRPCRequest(id: .int(3), method: "resources/subscribe", params: ["uri": "pier://x"]), sink: .discard)
        await a.share(opened)
        guard case .live(let again) = await b.find(opened.id) else { Issue.record("lost"); return }
        #expect(again.connection.client?.logLevel == .error)
        #expect(again.connection.subscriptions == ["pier://x"])
    }

    @Test func useIsMarkedOncePerInterval() async throws {
        let directory = Directory()
        let store = try Self.store(directory, touchEvery: .seconds(60))
        let opened = try #require(await store.create())
        await Self.initialize(opened)
        await store.share(opened)
        for _ in 0..<10 { _ = await store.find(opened.id) }
        #expect(directory.touches.withLock { $0 } == 0)
    }

    @Test func idleSessionsLeaveMemoryButNotTheDirectory() async throws {
        let directory = Directory()
        let store = try Self.store(directory)
        let opened = try #require(await store.create())
        await Self.initialize(opened)
        await store.share(opened)
        #expect(store.expireIdle(now: .now + .seconds(7200)) == 1)
        #expect(store.count == 0)
        // Idle here is not idle everywhere: it comes back from the directory.
        guard case .live = await store.find(opened.id) else { Issue.record("not taken up again"); return }
    }

    @Test func withoutADirectoryAnIdleSessionExpires() async throws {
        let store = try Self.store(nil)
        let opened = try #require(await store.create())
        #expect(store.expireIdle(now: .now + .seconds(7200)) == 1)
        guard case .expired = await store.find(opened.id) else { Issue.record("an expired id must get 404"); return }
    }

    @Test func theCapEndsTheLeastRecentlyUsedIdleSession() async throws {
        let store = try Self.store(nil, maxSessions: 2)
        let first = try #require(await store.create())
        let second = try #require(await store.create())
        // The first is older but has its GET stream open: the second goes.
        #expect(first.claimStandalone())
        let third = try #require(await store.create())
        guard case .expired = store.lookup(second.id) else { Issue.record("the idle session was not ended"); return }
        guard case .live = store.lookup(first.id) else { Issue.record("a session with an open stream was ended"); return }
        // Both remaining have a stream open: no room, and nothing is ended.
        _ = third.openStream()
        #expect(await store.create() == nil)
        #expect(store.count == 2)
    }
}
