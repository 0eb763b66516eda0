import CoreMetrics
import HTTPTypes
public import Hummingbird
public import MCPCore
import NIOCore
public import PierAuth
import PierStore
public import PierHTTP
public import PierServer

/// The resource-server check of every MCP endpoint (`/mcp`, each connector, their HTTP+SSE routes): a bearer
/// token issued for exactly that endpoint (RFC 8707 audience) by Pier or the external identity provider,
/// unexpired and unrevoked, else 401 with the
/// challenge that leads a client to the protected-resource metadata; a tool that needs `mcp:write` called with
/// `mcp:read` only gets 403 `insufficient_scope` (step-up). Tokens are looked up on every request, so a revoked
/// one stops at once.
public struct BearerAccess: EndpointAccess {
    let resources: ProtectedResource
    let verifier: any AccessTokenVerifier
    /// Endpoints (by path) where signing in is optional: an anonymous caller may list, read and call the tools
    /// that change nothing; any other tool answers a tool error carrying the sign-in challenge
    /// (`_meta["mcp/www_authenticate"]`), which is how ChatGPT offers to link the account.
    let optional: Set<String>

    public init(resources: ProtectedResource, verifier: any AccessTokenVerifier, optional: Set<String> = []) {
        self.resources = resources
        self.verifier = verifier
        self.optional = optional
    }

    /// The check of Pier's own authorization server's tokens.
    public init(server: OAuthServer, optional: Set<String> = []) {
        self.init(resources: server.resources, verifier: server.service, optional: optional)
    }

    public func authenticate(_ request: Request, endpoint: MCPEndpoint) async -> AccessDecision {
        let path = endpoint.configuration.endpointPath
        guard let header = request.headers[.authorization] else {
            if optional.contains(path) {
                count(endpoint, "anonymous")
                return .allow(nil)
            }
            count(endpoint, "missing_token")
            return .refuse(challenge(path, error: nil))
        }
        guard let token = BearerToken.from(header) else {
            count(endpoint, "malformed")
            return .refuse(challenge(path, error: ("invalid_request", "send the token as Authorization: Bearer <token>")))
        }
        do {
            guard let verified = try await verifier.verify(token, resource: resources.resource(path)) else {
                count(endpoint, "invalid_token")
                return .refuse(challenge(path, error: ("invalid_token", "the token is unknown, expired, revoked or for another resource")))
            }
            count(endpoint, "valid")
            return .allow(Principal(subject: verified.subject, scopes: verified.scopes))
        } catch {
            count(endpoint, "unavailable")
            return .refuse(Response(status: .serviceUnavailable, headers: [.retryAfter: "1"]))
        }
    }

    /// `pier_auth_checks_total{endpoint, outcome}`: each bearer check and each refusal of a call by scope.
    func count(_ endpoint: MCPEndpoint, _ outcome: String) {
        Counter(label: "pier_auth_checks_total", dimensions: [("endpoint", endpoint.metricsName), ("outcome", outcome)]).increment()
    }

    public func authorize(_ request: JSONRPCRequest, principal: Principal?, endpoint: MCPEndpoint) -> CallRefusal? {
        guard request.method == Method.toolsCall, let name = request.params["name"]?.stringValue,
            let tool = endpoint.server.tool(named: name, in: endpoint.view, principal: principal)
        else { return nil }
        // What the tool publishes is what it needs (``ScopePolicy`` set it as the tool entered the catalogue).
        let requirement = SecuritySchemes.requirement(of: tool.descriptor)
        let needed = requirement.scope ?? Scopes.needed(readOnly: tool.isReadOnly)
        let path = endpoint.configuration.endpointPath
        guard let principal else {
            // Only an optional endpoint lets an anonymous call this far.
            if requirement.anonymous || (requirement.scope == nil && needed == Scopes.read) { return nil }
            count(endpoint, "sign_in_required")
            return signInResult(request, tool: name, needed: needed, path: path)
        }
        guard !Scopes.allows(principal.scopes, needed) else { return nil }
        count(endpoint, "insufficient_scope")
        let wanted = Set(principal.scopes).union([needed]).sorted().joined(separator: " ")
        var response = Response(
            status: .forbidden, headers: [.contentType: "application/json"],
            body: ResponseBody(
                byteBuffer: ByteBuffer(
                    bytes: JSONValue.object([
                        "jsonrpc": "2.0", "id": request.id.json,
                        "error": ["code": .int(-32_001), "message": .string("Tool \(name) needs the scope \(needed)")],
                    ]).serialized())))
        response.headers[.wwwAuthenticate] =
            "Bearer error=\"insufficient_scope\", scope=\"\(wanted)\", resource_metadata=\"\(resources.metadataURL(for: path))\", error_description=\"\(name) needs \(needed)\""
        return .http(response)
    }

    /// A tool result (not an HTTP error) asking to sign in: `isError` with the challenge in
    /// `_meta["mcp/www_authenticate"]`, as ChatGPT's tool-level sign-in expects.
    func signInResult(_ request: JSONRPCRequest, tool: String, needed: String, path: String) -> CallRefusal {
        let challenge =
            "Bearer resource_metadata=\"\(resources.metadataURL(for: path))\", scope=\"\(needed)\", error=\"insufficient_scope\", error_description=\"Sign in to use \(tool)\""
        let result: JSONObject = [
            "content": [["type": "text", "text": .string("Sign in to use \(tool): it needs the scope \(needed).")]], "isError": true, "resultType": "complete",
            "_meta": ["mcp/www_authenticate": [.string(challenge)]],
        ]
        return .answer(JSONRPCResponse(id: request.id, result: result))
    }

    /// 401 with `WWW-Authenticate: Bearer resource_metadata="…", scope="…"` (and the error, when a token was sent).
    func challenge(_ path: String, error: (code: String, description: String)?) -> Response {
        let scopes = resources.scopes(for: path)
        var value = "Bearer resource_metadata=\"\(resources.metadataURL(for: path))\", scope=\"\(scopes.joined(separator: " "))\""
        if let error { value += ", error=\"\(error.code)\", error_description=\"\(error.description)\"" }
        return Response(
            status: .unauthorized, headers: [.wwwAuthenticate: value, .contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"error":"unauthorized","message":"this MCP endpoint needs an OAuth access token"}"#)))
    }
}
