public import Hummingbird
import MCPCore
import NIOCore

/// The MCP endpoints as OAuth protected resources (RFC 9728): each endpoint's resource URL (Pier's public URL
/// plus its path), the scopes it offers, the authorization servers that issue its tokens, and the metadata
/// documents at the root and at each endpoint's path-inserted location.
public struct ProtectedResource: Sendable {
    /// Pier's public URL.
    public let baseURL: String
    /// The issuers whose tokens the endpoints accept (Pier itself, or the external identity provider).
    public let authorizationServers: [String]
    /// Each MCP endpoint's path and the scopes it offers; the first is the root document's.
    public let endpoints: [Endpoint]

    public struct Endpoint: Sendable {
        public var path: String
        public var scopes: [String]

        public init(path: String, scopes: [String]) {
            self.path = path
            self.scopes = scopes
        }
    }

    public init(baseURL: String, authorizationServers: [String], endpoints: [Endpoint]) {
        self.baseURL = baseURL
        self.authorizationServers = authorizationServers
        self.endpoints = endpoints
    }

    /// The public URL of the MCP endpoint at `path`: the `resource` its tokens are for.
    public func resource(_ path: String) -> String { baseURL + path }

    /// Where the protected-resource metadata of the endpoint at `path` lives (RFC 9728 §3.1, path inserted).
    public func metadataURL(for path: String) -> String { baseURL + "/.well-known/oauth-protected-resource" + path }

    /// The scopes the endpoint at `path` offers.
    public func scopes(for path: String) -> [String] { endpoints.first { $0.path == path }?.scopes ?? endpoints.first?.scopes ?? [] }

    func document(_ endpoint: Endpoint) -> JSONValue {
        [
            "resource": .string(resource(endpoint.path)),
            "authorization_servers": .array(authorizationServers.map(JSONValue.string)),
            "scopes_supported": .array(endpoint.scopes.map(JSONValue.string)),
            "bearer_methods_supported": ["header"],
            "resource_name": "Pier",
        ]
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        guard let first = endpoints.first else { return }
        router.get("/.well-known/oauth-protected-resource") { _, _ in Self.json(document(first)) }
        for endpoint in endpoints {
            router.get(RouterPath("/.well-known/oauth-protected-resource" + endpoint.path)) { _, _ in Self.json(document(endpoint)) }
        }
    }

    static func json(_ value: JSONValue) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.serialized())))
    }
}
