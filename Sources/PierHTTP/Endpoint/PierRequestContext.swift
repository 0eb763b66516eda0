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
