public import MCPCore

/// How the Pier instances sharing a store tell one another what happened: a resource changed, a session changed
/// or ended, a client's answer arrived for a call another instance runs, a message came for a stream another
/// instance holds. Pier's PostgreSQL store carries it on `LISTEN`/`NOTIFY`; with SQLite (one instance) there is none.
///
/// Delivery is best effort and at most once: an instance that is not listening at that moment (restarting, or cut
/// off from the database) misses the message. Everything sent on the bus is also in the store or retried by its
/// sender, so a missed message delays a change (until the next session touch or registry read), never loses it.
public protocol ClusterBus: Sendable {
    /// This instance's id on the bus.
    var instance: String { get }
    /// Sends `message` to the other instances (or to its ``ClusterMessage/recipient`` only); never back to this
    /// one. Failures are the bus's to log: a sender has nothing better to do than go on.
    func publish(_ message: ClusterMessage) async
    /// What the other instances send from now on, while the caller iterates. The buffer is bounded: a reader that
    /// falls far behind loses the oldest.
    func messages() -> AsyncStream<ClusterMessage>
}

/// One message on the ``ClusterBus``.
public struct ClusterMessage: Sendable, Equatable {
    public var topic: ClusterTopic
    public var body: JSONObject
    /// The instance that sent it (the bus fills it in).
    public var sender: String
    /// The one instance it is for; `nil`: every other instance.
    public var recipient: String?

    public init(_ topic: ClusterTopic, _ body: JSONObject, to recipient: String? = nil, sender: String = "") {
        self.topic = topic
        self.body = body
        self.recipient = recipient
        self.sender = sender
    }

    /// The message as it travels: `{"topic", "body", "from", "to"?}`.
    public var envelope: JSONValue {
        var o: JSONObject = ["topic": .string(topic.rawValue), "body": .object(body), "from": .string(sender)]
        if let recipient { o["to"] = .string(recipient) }
        return .object(o)
    }

    /// The message an envelope carries; `nil` for one this Pier cannot read (a newer instance's topic, say).
    public init?(envelope: JSONValue) {
        guard case .object(let o) = envelope, case .string(let name)? = o["topic"], let topic = ClusterTopic(rawValue: name),
            case .object(let body)? = o["body"], case .string(let sender)? = o["from"]
        else { return nil }
        self.init(topic, body, to: o["to"]?.stringValue, sender: sender)
    }

    /// A string member of the body.
    public subscript(_ key: String) -> String? { body[key]?.stringValue }
}

/// What a ``ClusterMessage`` is about.
public enum ClusterTopic: String, Sendable, CaseIterable {
    /// A resource's contents changed (`{"uri"}`): subscribed clients on every instance hear it.
    case resourceUpdated = "resource.updated"
    /// The server registry changed: every instance reads it now.
    case registryChanged = "registry.changed"
    /// A handshake-era session's log level or subscriptions changed (`{"endpoint", "session"}`).
    case sessionChanged = "session.changed"
    /// A handshake-era session ended (`{"endpoint", "session"}`).
    case sessionEnded = "session.ended"
    /// A client message for a session's calls (`{"endpoint", "session", "message"}`): the answer to a request a
    /// call sent the client, or a cancellation; the instance running that call takes it.
    case sessionInput = "session.input"
    /// A client asks to resume a session's POST stream (`{"endpoint", "session", "stream", "after", "ticket"}`),
    /// sent to the instance that runs it.
    case streamFollow = "stream.follow"
    /// An event of a followed stream (`{"ticket", "id", "message"}`), or its end (`{"ticket", "end": true}`).
    case streamEvent = "stream.event"
    /// A message POSTed for a 2024-11-05 HTTP+SSE stream another instance holds (`{"endpoint", "stream", "message",
    /// "ticket"}`; `"answered": true` when the message is a response to put on the stream as it is).
    case legacyMessage = "legacy.message"
    /// The stream's instance took a ``legacyMessage`` (`{"ticket"}`).
    case legacyTaken = "legacy.taken"
    /// Another instance left a message (cancel, input) for a task (`{"task"}`): its instance applies it now.
    case taskMessage = "task.message"
}
