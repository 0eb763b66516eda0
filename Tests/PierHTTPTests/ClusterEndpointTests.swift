import Logging
import MCPCore
@testable import PierHTTP
import PierServer
import Testing

/// Two endpoints, standing for two instances, on one session directory and one ``MemoryClusterBus`` network: what
/// crosses between them over the bus, without sockets or a database.
@Suite struct ClusterEndpointTests {
    typealias Directory = SharedSessionTests.Directory

    static func endpoint(_ bus: MemoryClusterBus, directory: Directory) throws -> MCPEndpoint {
        var configuration = MCPHTTPConfiguration()
        configuration.sessionDirectory = directory
        configuration.cluster = bus
        // No touch during the test: whatever B learns, it learns from the bus.
        configuration.sessionTouchInterval = .seconds(3_600)
        configuration.clusterReplyTimeout = .seconds(2)
        let server = try MCPServer(info: Implementation(name: "t", version: "0"), apps: [])
        return MCPEndpoint(server: server, configuration: configuration, logger: Logger(label: "test"))
    }

    /// Runs `body` with instances A and B, each reading its bus as ``ClusterLink`` does.
    static func withTwoInstances(_ body: (MCPEndpoint, MCPEndpoint) async throws -> Void) async throws {
        let network = MemoryClusterBus.Network()
        let directory = Directory()
        let (busA, busB) = (network.join("a"), network.join("b"))
        let a = try endpoint(busA, directory: directory)
        let b = try endpoint(busB, directory: directory)
        try await withThrowingDiscardingTaskGroup { group in
            for (bus, endpoint) in [(busA, a), (busB, b)] {
                let messages = bus.messages()
                group.addTask {
                    await withDiscardingTaskGroup { work in
                        for await message in messages {
                            if let job = await endpoint.receive(message) { work.addTask { await job() } }
                        }
                    }
                }
            }
            try await body(a, b)
            group.cancelAll()
        }
    }

    static func opened(on a: MCPEndpoint) async throws -> LegacySession {
        let session = try #require(await a.sessions.create())
        await SharedSessionTests.initialize(session)
        await a.sessions.share(session, isNew: true)
        return session
    }

    /// Polls `condition` for up to two seconds.
    static func eventually(_ condition: () async -> Bool) async -> Bool {
        for _ in 0..<200 {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    @Test func aSessionEndedOnOneInstanceEndsOnTheOtherAtOnce() async throws {
        try await Self.withTwoInstances { a, b in
            let session = try await Self.opened(on: a)
            guard case .live(let onB) = await b.sessions.find(session.id) else { Issue.record("B did not take it up"); return }
            #expect(await a.sessions.remove(session.id))
            #expect(await Self.eventually { onB.isClosed })
            guard case .expired = b.sessions.lookup(session.id) else { Issue.record("B still holds an ended session"); return }
        }
    }

    @Test func aSubscriptionMadeOnOneInstanceHoldsOnTheOtherAtOnce() async throws {
        try await Self.withTwoInstances { a, b in
            let session = try await Self.opened(on: a)
            guard case .live(let onB) = await b.sessions.find(session.id) else { Issue.record("B did not take it up"); return }
            _ = await session.connection.serve(JSONRPCRequest(id: .int(2), method: "resources/subscribe", params: ["uri": "x://y"]), sink: .discard)
            await a.sessions.share(session)
            #expect(await Self.eventually { onB.connection.subscriptions == ["x://y"] })
        }
    }

    @Test func aPostStreamIsFedToTheInstanceThatResumesIt() async throws {
        try await Self.withTwoInstances { a, b in
            let session = try await Self.opened(on: a)
            guard case .live = await b.sessions.find(session.id) else { Issue.record("B did not take it up"); return }
            let stream = session.openStream()
            for n in 1...3 { _ = session.record(.notification(JSONRPCNotification(method: "n\(n)")), stream: stream) }
            let (ticket, replies) = b.tickets.open()
            await b.configuration.cluster?.publish(
                ClusterMessage(
                    .streamFollow, ["endpoint": "/mcp", "session": .string(session.id), "stream": .int(stream), "after": 1, "ticket": .string(ticket)],
                    to: "a"))
            var iterator = replies.makeAsyncIterator()
            #expect(await iterator.next()?.body["start"] == true)
            // What A logged after event 1, then what it logs next, up to the response; then the end.
            for n in 2...3 { #expect(await iterator.next()?["id"] == "\(stream)-\(n)-a") }
            _ = session.record(.response(JSONRPCResponse(id: .int(5), result: [:])), stream: stream)
            session.finishStream(stream)
            let response = await iterator.next()
            #expect(response?["id"] == "\(stream)-4-a")
            #expect(response?.body["message"]?["id"]?.intValue == 5)
            #expect(await iterator.next()?.body["end"] == true)
            // A stream A does not have: said at once.
            let (other, missing) = b.tickets.open()
            await b.configuration.cluster?.publish(
                ClusterMessage(
                    .streamFollow, ["endpoint": "/mcp", "session": .string(session.id), "stream": 99, "after": 0, "ticket": .string(other)], to: "a"))
            #expect(await ClusterTickets.first(of: missing, within: .seconds(2))?.body["missing"] == true)
        }
    }

    @Test func eventIDsOfAClusterNameTheInstance() async throws {
        try await Self.withTwoInstances { a, _ in
            let session = try await Self.opened(on: a)
            let stream = session.openStream()
            #expect(session.record(.notification(JSONRPCNotification(method: "x")), stream: stream) == "\(stream)-1-a")
        }
    }
}
