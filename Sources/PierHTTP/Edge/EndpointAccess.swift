public import Hummingbird
public import MCPCore
public import PierServer

/// Who may use an MCP endpoint: an authenticator (a resource server's bearer check) the endpoint asks on every
/// request, and again before each call it serves. PierHTTP knows no tokens; the application plugs one in.
public protocol EndpointAccess: Sendable {
    /// The caller of `request` at `endpoint`: `.allow` with who it is (`nil` for an anonymous caller that may go
    /// on), or `.refuse` with the answer (401 and its challenge).
    func authenticate(_ request: Request, endpoint: MCPEndpoint) async -> AccessDecision

    /// Whether `principal` may make call `request` at `endpoint`: `nil` to go on, else the refusal (403 for a
    /// missing scope, so the client can step up; or a JSON-RPC answer such as a sign-in tool result).
    func authorize(_ request: JSONRPCRequest, principal: Principal?, endpoint: MCPEndpoint) -> CallRefusal?
}

/// Why a call does not run: an HTTP answer to the POST that carried it, or a JSON-RPC response that goes where the
/// transport sends responses (the POST's body, or the 2024-11-05 SSE stream).
public enum CallRefusal: Sendable {
    case http(Response)
    case answer(JSONRPCResponse)
    /// Over a rate limit: 429 with `Retry-After` and the error as the POST's answer, or the error on the stream.
    case limited(JSONRPCResponse, retryAfter: Int)

    /// The refusal as the answer to the POST itself.
    var response: Response {
        switch self {
        case .http(let response): return response
        case .answer(let answer): return HTTPReply.message(.response(answer))
        case .limited(let answer, let wait):
            var response = HTTPReply.message(status: .tooManyRequests, .response(answer))
            response.headers[.retryAfter] = String(wait)
            return response
        }
    }

    /// The JSON-RPC answer, where the refusal is one (the 2024-11-05 transport sends it on the stream).
    var streamAnswer: JSONRPCResponse? {
        switch self {
        case .http: nil
        case .answer(let answer), .limited(let answer, _): answer
        }
    }
}

/// The outcome of ``EndpointAccess/authenticate(_:endpoint:)``.
public enum AccessDecision: Sendable {
    case allow(Principal?)
    case refuse(Response)
}

extension MCPEndpoint {
    /// Asks the endpoint's access check, if it has one.
    func admit(_ request: Request) async -> AccessDecision {
        guard let access else { return .allow(nil) }
        return await access.authenticate(request, endpoint: self)
    }

    /// The refusal of call `request` by the access check or, past it, by the per-tool rate limit, if any.
    func refusal(of request: JSONRPCRequest, principal: Principal?, caller: String) async -> CallRefusal? {
        if let refused = access?.authorize(request, principal: principal, endpoint: self) { return refused }
        return await limits?.admitCall(request, caller: caller, endpoint: metricsName)
    }

    /// The caller of `request` as the rate limits key it, and the refusal when it is over its limit.
    func limit(_ request: Request, principal: Principal?, context: some ConnectionAwareRequestContext) async -> (caller: String, refusal: Response?) {
        guard let limits else { return ("", nil) }
        let caller = limits.caller(request, principal: principal, peer: context.channel?.remoteAddress?.ipAddress)
        return (caller, await limits.admit(caller: caller, endpoint: metricsName))
    }
}
