public import MCPCore

/// Who is asking: the protocol era and what the client declared.
///
/// For a 2026-07-28 request this comes from the request's own `_meta`; for a legacy request from the session's
/// `initialize` (or nothing, for a client that did not keep its session).
public struct ClientContext: Sendable {
    public var version: ProtocolVersion
    public var capabilities: JSONObject
    public var info: JSONObject?
    /// The minimum level of `notifications/message` this request may emit; `nil` sends none.
    public var logLevel: LogLevel?
    /// The legacy session id, when there is one.
    public var sessionID: String?
    /// How to send requests to a handshake-era client, when its connection can carry them (stdio, HTTP+SSE, a
    /// session's SSE response).
    public var requests: ClientRequestChannel?
    /// Who the caller is, once an endpoint has authenticated it; `nil` for anonymous callers.
    public var principal: Principal?
    /// The transport's id of the request carrying this call (`X-Request-Id`), for logs.
    public var requestID: String?

    public init(version: ProtocolVersion, capabilities: JSONObject = [:], info: JSONObject? = nil, logLevel: LogLevel? = nil, sessionID: String? = nil) {
        self.version = version
        self.capabilities = capabilities
        self.info = info
        self.logLevel = logLevel
        self.sessionID = sessionID
    }

    /// `true` when the client declared capability `name` (a top-level key of its capabilities).
    public func hasCapability(_ name: String) -> Bool { capabilities[name] != nil }

    /// `true` when the client declared protocol extension `id` (`capabilities.extensions[id]`).
    public func hasExtension(_ id: String) -> Bool { capabilities["extensions"]?[id] != nil }
}

extension JSONObject {
    /// These capabilities with `extra` added: top-level keys replaced, `extensions` merged key by key.
    func addingCapabilities(_ extra: JSONObject) -> JSONObject {
        var merged = self
        for member in extra {
            if member.key == "extensions", case .object(var mine)? = merged["extensions"], case .object(let theirs) = member.value {
                mine.merge(theirs)
                merged["extensions"] = .object(mine)
            } else {
                merged[member.key] = member.value
            }
        }
        return merged
    }
}
