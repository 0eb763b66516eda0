public import MCPCore

/// What a successful legacy request changes about its session, for the transport to keep: the log level
/// (`logging/setLevel`) and resource subscriptions (`resources/subscribe`, `resources/unsubscribe`).
public enum SessionChange: Sendable, Equatable {
    case logLevel(LogLevel)
    case subscribe(uri: String)
    case unsubscribe(uri: String)

    /// The change `request` makes, if any.
    public init?(_ request: JSONRPCRequest) {
        switch request.method {
        case Method.setLevel:
            guard let level = request.params["level"]?.stringValue.flatMap(LogLevel.init(rawValue:)) else { return nil }
            self = .logLevel(level)
        case Method.resourcesSubscribe:
            guard let uri = request.params["uri"]?.stringValue else { return nil }
            self = .subscribe(uri: uri)
        case Method.resourcesUnsubscribe:
            guard let uri = request.params["uri"]?.stringValue else { return nil }
            self = .unsubscribe(uri: uri)
        default:
            return nil
        }
    }

    /// Applies the change to a client context and a subscription set.
    public func apply(to client: inout ClientContext?, subscriptions: inout Set<String>) {
        switch self {
        case .logLevel(let level): client?.logLevel = level
        case .subscribe(let uri): subscriptions.insert(uri)
        case .unsubscribe(let uri): subscriptions.remove(uri)
        }
    }
}
