import AsyncAlgorithms
import Hummingbird
import NIOCore
import ServiceLifecycle

/// The one loop that writes Pier's SSE responses (POST responses, the session GET stream and its resumption,
/// `subscriptions/listen`, the 2024-11-05 stream): `first` at once, then what the producers send to `outbox`,
/// with `:` keep-alives every `keepAlive`, until the outbox finishes or the client leaves. Writes are awaited, so a
/// slow client holds its producers back. The producers run in the pump's task group and are cancelled when it
/// ends, except that with `drainWhenGone` a client leaving mid-write lets them run on (their output dropped) until
/// they finish the outbox: a handshake-era session's call outlives its stream.
///
/// - Parameters:
///   - liveness: ends the stream as soon as the client goes, even while nothing is written.
///   - isIdle: checked at each keep-alive tick; `true` ends the stream (an idle timeout).
///   - endsOnShutdown: a long-lived stream (no call behind it) that graceful shutdown ends cleanly, so the client
///     reconnects, to another instance behind the load balancer; a call's stream instead runs until its response.
///   - producers: adds the tasks that feed `outbox` (and finish it when they are done, if the stream ends then).
/// - Throws: the write error when the client left mid-write.
func pumpSSE(
    _ outbox: AsyncChannel<ByteBuffer>, to writer: inout any ResponseBodyWriter, first: ByteBuffer? = nil, keepAlive: Duration,
    liveness: Liveness?, isIdle: @escaping @Sendable () -> Bool = { false }, drainWhenGone: Bool = false,
    endsOnShutdown: Bool = false, producers: (inout ThrowingTaskGroup<Void, any Error>) -> Void
) async throws {
    guard endsOnShutdown else {
        return try await runSSEPump(outbox, to: &writer, first: first, keepAlive: keepAlive, liveness: liveness, isIdle: isIdle, drainWhenGone: drainWhenGone, producers: producers)
    }
    try await withGracefulShutdownHandler {
        try await runSSEPump(outbox, to: &writer, first: first, keepAlive: keepAlive, liveness: liveness, isIdle: isIdle, drainWhenGone: drainWhenGone, producers: producers)
    } onGracefulShutdown: {
        outbox.finish()
    }
}

private func runSSEPump(
    _ outbox: AsyncChannel<ByteBuffer>, to writer: inout any ResponseBodyWriter, first: ByteBuffer?, keepAlive: Duration,
    liveness: Liveness?, isIdle: @escaping @Sendable () -> Bool, drainWhenGone: Bool, producers: (inout ThrowingTaskGroup<Void, any Error>) -> Void
) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        producers(&group)
        group.addTask {
            while !Task.isCancelled {
                try await Task.sleep(for: keepAlive)
                if isIdle() {
                    outbox.finish()
                    return
                }
                await outbox.send(SSEEvent.keepAlive)
            }
        }
        if let liveness {
            group.addTask {
                await liveness.waitForClose()
                outbox.finish()
            }
        }
        defer { group.cancelAll() }
        do {
            if let first { try await writer.write(first) }
            for await chunk in outbox { try await writer.write(chunk) }
        } catch {
            if drainWhenGone {
                for await _ in outbox {}
            }
            throw error
        }
    }
}
