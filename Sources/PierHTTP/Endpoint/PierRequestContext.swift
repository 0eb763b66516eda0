public import Hummingbird
public import NIOCore

/// A request context that knows its connection, so a long call can notice its client leaving.
public protocol ConnectionAwareRequestContext: RequestContext {
    /// The connection the request arrived on; `nil` where there is none (router-level tests).
    var channel: (any Channel)? { get }
}

/// Pier's request context.
public struct PierRequestContext: ConnectionAwareRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: (any Channel)?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}

/// The connection of a call, for the ``CallWatcher`` (and the GET stream) to tell whether its client is still
/// there: the connection's ``InputClosedTracker`` when it has one, else `Channel.isActive`.
struct Liveness: Sendable {
    let channel: any Channel

    /// Returns once the client has gone (checked every 50 ms) or the task is cancelled.
    func waitForClose() async {
        let tracker = try? await channel.pipeline.handler(type: InputClosedTracker.self).get()
        while !Task.isCancelled {
            if !channel.isActive || tracker?.isClosed == true { return }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}
