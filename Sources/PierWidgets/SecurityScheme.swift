public import MCPCore

/// How a tool may be called, as ChatGPT reads it from the descriptor's `securitySchemes` (and its `_meta` mirror).
public struct SecurityScheme: Sendable, Equatable {
    public let json: JSONValue

    /// Callable without signing in.
    public static let noAuth = SecurityScheme(json: ["type": "noauth"])

    /// Needs an OAuth 2.1 access token with these scopes.
    public static func oauth2(scopes: [String] = []) -> SecurityScheme {
        SecurityScheme(json: ["type": "oauth2", "scopes": .array(scopes.map { .string($0) })])
    }
}
