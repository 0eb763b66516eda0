public import MCPCore

/// What a successful handshake-era request changes about its session, for the connection to keep: the log level
/// (`logging/setLevel`) and resource subscriptions (`resources/subscribe`, `resources/unsubscribe`). Which methods
/// have one is the ``MethodSpec/sessionEffect`` of their spec.
public enum SessionChange: Sendable, Equatable {
    case logLevel(LogLevel)
    case subscribe(uri: String)
    case unsubscribe(uri: String)

    /// The change `request` makes, if any.
    public init?(_ request: JSONRPCRequest, spec: MethodSpec?) {
        switch spec?.sessionEffect ?? .none {
        case .none:
            return nil
        case .logLevel:
            guard let level = request.params["level"]?.stringValue.flatMap(LogLevel.init(rawValue:)) else { return nil }
            self = .logLevel(level)
        case .subscribe:
            guard let uri = request.params["uri"]?.stringValue else { return nil }
            self = .subscribe(uri: uri)
        case .unsubscribe:
            guard let uri = request.params["uri"]?.stringValue else { return nil }
            self = .unsubscribe(uri: uri)
        }
    }

    /// The change `request` makes, looking its method up.
    public init?(_ request: JSONRPCRequest) { self.init(request, spec: MethodSpec.named(request.method)) }

    /// Applies the change to a client context and a subscription set.
    public func apply(to client: inout ClientContext?, subscriptions: inout Set<String>) {
        switch self {
        case .logLevel(let level): client?.logLevel = level
        case .subscribe(let uri): subscriptions.insert(uri)
        case .unsubscribe(let uri): subscriptions.remove(uri)
        }
    }
}
