public import MCPCore

/// Why a request to an upstream server did not produce a result.
public enum ClientError: Error, Sendable, CustomStringConvertible {
    /// The upstream answered with a JSON-RPC error, passed on as it is.
    case rpc(MCPError)
    /// No answer within the limit; the upstream was told to cancel.
    case timeout(Duration)
    /// The transport failed or the upstream went away while the request was out.
    case transport(ClientTransportError)
    /// The upstream answered, but not in a shape the protocol allows.
    case malformed(String)
    /// Negotiation failed: the upstream speaks no version Pier does.
    case unsupportedVersion(String)
    /// The session is closed; nothing more can be sent on it.
    case closed

    public var description: String {
        switch self {
        case .rpc(let error): "the upstream answered with error \(error.code): \(error.message)"
        case .timeout(let limit): "no answer within \(limit.inSeconds) s"
        case .transport(let error): error.description
        case .malformed(let what): "malformed answer: \(what)"
        case .unsupportedVersion(let version): "the upstream speaks protocol version \(version), which Pier does not"
        case .closed: "the upstream session is closed"
        }
    }
}

extension Duration {
    /// The duration in seconds, for messages.
    public var inSeconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
