public import MCPCore
import Synchronization

/// A change clients may want to hear about.
public enum ServerEvent: Sendable, Equatable {
    case toolsChanged
    case promptsChanged
    case resourcesChanged
    /// The contents of one resource changed (for clients subscribed to it).
    case resourceUpdated(uri: String)

    /// The notification legacy clients receive for it.
    public var notification: JSONRPCNotification {
        switch self {
        case .toolsChanged: JSONRPCNotification(method: "notifications/tools/list_changed")
        case .promptsChanged: JSONRPCNotification(method: "notifications/prompts/list_changed")
        case .resourcesChanged: JSONRPCNotification(method: "notifications/resources/list_changed")
        case .resourceUpdated(let uri): JSONRPCNotification(method: "notifications/resources/updated", params: ["uri": .string(uri)])
        }
    }

    /// `true` when a client with these resource subscriptions should get this event.
    public func concerns(subscriptions: Set<String>) -> Bool {
        if case .resourceUpdated(let uri) = self { return subscriptions.contains(uri) }
        return true
    }
}

/// Fans server events out to every listener. Each listener's buffer is bounded: a listener that falls more than
/// `bufferSize` events behind loses the oldest (list-changed events repeat the same news, so dropping is safe).
final class EventHub: Sendable {
    private let listeners = Mutex<[Int: AsyncStream<ServerEvent>.Continuation]>([:])
    private let nextID = Mutex(0)
    let bufferSize: Int

    init(bufferSize: Int = 256) { self.bufferSize = bufferSize }

    func stream() -> AsyncStream<ServerEvent> {
        let id = nextID.withLock { n in
            n += 1
            return n
        }
        let (stream, continuation) = AsyncStream<ServerEvent>.makeStream(bufferingPolicy: .bufferingNewest(bufferSize))
        continuation.onTermination = { [weak self] _ in _ = self?.listeners.withLock { $0.removeValue(forKey: id) } }
        listeners.withLock { $0[id] = continuation }
        return stream
    }

    func publish(_ event: ServerEvent) {
        for listener in listeners.withLock({ Array($0.values) }) { listener.yield(event) }
    }
}
