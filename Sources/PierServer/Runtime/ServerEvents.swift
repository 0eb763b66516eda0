public import MCPCore
import PierSync

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

/// A server event with its place in the order events were published (1, 2, …).
public struct NumberedEvent: Sendable, Equatable {
    public let number: Int
    public let event: ServerEvent
}

/// Fans server events out to every listener, numbered in the order they were published. Each listener's buffer is
/// bounded: a listener that falls more than `bufferSize` events behind loses the oldest (list-changed events
/// repeat the same news, so dropping is safe; the newest, with the highest number, is always kept).
final class EventHub: Sendable {
    private struct State {
        var nextID = 0
        var published = 0
        /// Each listener, and whether it hears only the events published here (not those from other instances).
        var listeners: [Int: (continuation: AsyncStream<ServerEvent>.Continuation, localOnly: Bool)] = [:]
        var numbered: [Int: AsyncStream<NumberedEvent>.Continuation] = [:]
    }
    private let state = Locked(State())
    let bufferSize: Int

    init(bufferSize: Int = 256) { self.bufferSize = bufferSize }

    func stream(localOnly: Bool = false) -> AsyncStream<ServerEvent> {
        let (stream, continuation) = AsyncStream<ServerEvent>.makeStream(bufferingPolicy: .bufferingNewest(bufferSize))
        let id = state.withLock { s in
            s.nextID += 1
            s.listeners[s.nextID] = (continuation, localOnly)
            return s.nextID
        }
        continuation.onTermination = { [weak self] _ in _ = self?.state.withLock { $0.listeners.removeValue(forKey: id) } }
        return stream
    }

    /// Events from now on, numbered, and the number of the last one published before.
    func numberedStream() -> (events: AsyncStream<NumberedEvent>, after: Int) {
        let (stream, continuation) = AsyncStream<NumberedEvent>.makeStream(bufferingPolicy: .bufferingNewest(bufferSize))
        let (id, after) = state.withLock { s in
            s.nextID += 1
            s.numbered[s.nextID] = continuation
            return (s.nextID, s.published)
        }
        continuation.onTermination = { [weak self] _ in _ = self?.state.withLock { $0.numbered.removeValue(forKey: id) } }
        return (stream, after)
    }

    /// The number of the last event published.
    var lastNumber: Int { state.withLock { $0.published } }

    /// Hands `event` to every listener; one that came from another instance (`remote`) skips the listeners that
    /// hear local events only (the one passing them on to the other instances).
    func publish(_ event: ServerEvent, remote: Bool = false) {
        // Yielding under the lock keeps every listener's order the order of the numbers.
        state.withLock { s in
            s.published += 1
            let numbered = NumberedEvent(number: s.published, event: event)
            for listener in s.listeners.values where !(remote && listener.localOnly) { listener.continuation.yield(event) }
            for listener in s.numbered.values { listener.yield(numbered) }
        }
    }
}
