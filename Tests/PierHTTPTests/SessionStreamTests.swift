import MCPCore
import NIOCore
import NIOEmbedded
@testable import PierHTTP
import PierServer
import Testing

/// The HTTP side of a session and the disconnect monitor, without sockets.
@Suite struct SessionStreamTests {
    static func session() throws -> LegacySession {
        LegacySession(id: "s", server: try MCPServer(info: Implementation(name: "t", version: "0"), apps: []), view: .everything, eventLogCapacity: 16)
    }

    static func note(_ method: String) -> JSONRPCMessage { .notification(JSONRPCNotification(method: method)) }

    @Test func aFollowerReadsWhatIsLoggedThenEndsWithItsStream() async throws {
        let session = try Self.session()
        let stream = session.openStream()
        _ = session.record(Self.note("early"), stream: stream)
        let follower = session.follow(stream, after: 0)
        _ = session.record(Self.note("other stream"), stream: LegacySession.standaloneStream)
        _ = session.record(Self.note("late"), stream: stream)
        session.finishStream(stream)
        var methods: [String] = []
        for await batch in follower {
            for event in batch { if case .notification(let n) = event.message { methods.append(n.method) } }
        }
        #expect(methods == ["early", "late"])
    }

    @Test func closingTheSessionEndsItsStandaloneFollowers() async throws {
        let session = try Self.session()
        #expect(session.claimStandalone())
        #expect(!session.claimStandalone())
        let follower = session.follow(LegacySession.standaloneStream, after: session.lastSequence)
        try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                var count = 0
                for await batch in follower { count += batch.count }
                return count
            }
            _ = session.record(Self.note("seen"), stream: LegacySession.standaloneStream)
            try await Task.sleep(for: .milliseconds(20))
            session.close()
            #expect(try await group.next() == 1)
        }
        #expect(session.isClosed && !session.claimStandalone())
    }

    @Test func theMonitorFiresWhatWasRegisteredWhenTheClientLeaves() throws {
        let monitor = DisconnectMonitor()
        let channel = EmbeddedChannel(handler: monitor.handler())
        let signal = CancelSignal()
        let registration = try #require(monitor.watch(channel, signal))
        let scope = try #require(monitor.scope(for: channel))
        #expect(monitor.arm(channel))
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(signal.isFired && scope.isFired, "a half-closed client fires its watchers and cancels the armed scope")
        monitor.unwatch(registration)
        monitor.disarm(channel)
        // After the client left, a new watch fires at once.
        let late = CancelSignal()
        #expect(monitor.watch(channel, late) == nil && late.isFired)
        _ = try channel.finish()
        #expect(monitor.connectionCount == 0)
    }

    @Test func aScopeIsCancelledOnlyWhileACallIsArmed() throws {
        let monitor = DisconnectMonitor()
        let channel = EmbeddedChannel(handler: monitor.handler())
        let scope = try #require(monitor.scope(for: channel))
        #expect(monitor.arm(channel))
        monitor.disarm(channel)
        _ = try channel.finish()
        #expect(!scope.isFired, "a connection that ends between calls cancels nothing")
        #expect(!monitor.arm(EmbeddedChannel()), "a connection the monitor does not watch has no scope")
    }
}
