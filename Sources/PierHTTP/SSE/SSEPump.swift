import AsyncAlgorithms
import Hummingbird
import NIOCore

/// Writes what the producers send to `outbox` onto a long-lived SSE response until the outbox finishes or the
/// client leaves, with `:` keep-alives in between. Producers run in the same task group, so they are cancelled
/// when the stream ends.
///
/// - Parameters:
///   - isIdle: checked at each keep-alive tick; `true` ends the stream (an idle timeout).
///   - producers: adds the tasks that feed `outbox`.
func pumpSSE(
    _ outbox: AsyncChannel<ByteBuffer>, to writer: inout any ResponseBodyWriter, keepAlive: Duration, liveness: Liveness?,
    isIdle: @escaping @Sendable () -> Bool = { false },
    producers: (inout ThrowingTaskGroup<Void, any Error>) -> Void
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
        for await chunk in outbox { try await writer.write(chunk) }
    }
}
