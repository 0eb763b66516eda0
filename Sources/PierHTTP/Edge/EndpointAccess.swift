public import Hummingbird
public import MCPCore
public import PierServer

/// Who may use an MCP endpoint: an authenticator (a resource server's bearer check) the endpoint asks on every
/// request, and again before each call it serves. PierHTTP knows no tokens; the application plugs one in.
public protocol EndpointAccess: Sendable {
    /// The caller of `request` at `endpoint`: `.allow` with who it is (`nil` for an anonymous caller that may go
    /// on), or `.refuse` with the answer (401 and its challenge).
    func authenticate(_ request: Request, endpoint: MCPEndpoint) async -> AccessDecision

    /// Whether `principal` may make call `request` at `endpoint`: `nil` to go on, else the answer (403 for a
    /// missing scope, so the client can step up).
    func authorize(_ request: JSONRPCRequest, principal: Principal?, endpoint: MCPEndpoint) -> Response?
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

    /// The refusal of call `request` by the access check, if any.
    func refusal(of request: JSONRPCRequest, principal: Principal?) -> Response? {
        access?.authorize(request, principal: principal, endpoint: self)
    }
}
