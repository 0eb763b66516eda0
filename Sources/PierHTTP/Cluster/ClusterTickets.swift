import PierServer
import PierSync

/// The requests this instance sent other instances and is waiting on, by ticket: each gets the replies that name
/// its ticket, in the order they arrive, through a bounded buffer.
final class ClusterTickets: Sendable {
    private let waiting = Locked<[String: AsyncStream<ClusterMessage>.Continuation]>([:])
    /// The most replies one ticket holds unread (a followed stream's events).
    static let bufferSize = 4_096

    /// A new ticket and its replies; the ticket closes when the replies' reader stops (or ``close(_:)``).
    func open() -> (ticket: String, replies: AsyncStream<ClusterMessage>) {
        let ticket = SessionStore.newID()
        let (replies, continuation) = AsyncStream<ClusterMessage>.makeStream(bufferingPolicy: .bufferingOldest(Self.bufferSize))
        waiting.withLock { $0[ticket] = continuation }
        continuation.onTermination = { [weak self] _ in _ = self?.waiting.withLock { $0.removeValue(forKey: ticket) } }
        return (ticket, replies)
    }

    /// Hands `reply` to the request it names; `false` when no request here has that ticket.
    @discardableResult
    func deliver(_ reply: ClusterMessage) -> Bool {
        guard let ticket = reply["ticket"], let waiter = waiting.withLock({ $0[ticket] }) else { return false }
        waiter.yield(reply)
        return true
    }

    func close(_ ticket: String) { waiting.withLock { $0.removeValue(forKey: ticket) }?.finish() }

    /// The first of `replies` within `timeout`; `nil` when none came. The stream stays readable after a reply.
    static func first(of replies: AsyncStream<ClusterMessage>, within timeout: Duration) async -> ClusterMessage? {
        await withTaskGroup(of: ClusterMessage?.self) { group in
            group.addTask {
                var iterator = replies.makeAsyncIterator()
                return await iterator.next()
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
