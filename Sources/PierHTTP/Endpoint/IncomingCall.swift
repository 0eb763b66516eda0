import Hummingbird
import HTTPTypes
import MCPCore
import PierServer

/// One POST, with what the era decisions read from it (its headers read once).
struct IncomingCall: Sendable {
    /// The request's header fields (for `Mcp-Param-*`).
    let fields: HTTPFields
    let headers: MCPHeaders
    /// Whether the client is still connected, when that can be known.
    let liveness: Liveness?
    let headerVersion: ProtocolVersion?
    /// Who sent it, when the endpoint's access check knows.
    let principal: Principal?
    /// Who it is from, as the rate limits key it.
    let caller: String
    /// The request's id for logs (``RequestID``).
    let requestID: String?

    init(request: Request, headers: MCPHeaders, liveness: Liveness?, principal: Principal? = nil, caller: String = "", requestID: String? = nil) {
        self.principal = principal
        self.caller = caller
        self.requestID = requestID
        self.fields = request.headers
        self.headers = headers
        self.liveness = liveness
        self.headerVersion = headers.protocolVersion.flatMap(ProtocolVersion.init(rawValue:))
    }

    var acceptsSSE: Bool { headers.acceptsSSE }
    var acceptsJSON: Bool { headers.acceptsJSON }
    var headerVersionText: String? { headers.protocolVersion }
    var sessionID: String? { headers.sessionID }
}
