/// An OAuth refusal (RFC 6749 §5.2, RFC 7591 §3.2.2): the error code clients act on, a description for people, and
/// the HTTP status it travels with. Descriptions never hold a secret, a token or internal error text.
public struct OAuthError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var description: String
    public var status: Int

    public init(_ code: String, _ description: String, status: Int = 400) {
        self.code = code
        self.description = description
        self.status = status
    }

    public static func invalidRequest(_ why: String) -> OAuthError { OAuthError("invalid_request", why) }
    public static func invalidClient(_ why: String) -> OAuthError { OAuthError("invalid_client", why, status: 401) }
    public static func invalidGrant(_ why: String) -> OAuthError { OAuthError("invalid_grant", why) }
    public static func unauthorizedClient(_ why: String) -> OAuthError { OAuthError("unauthorized_client", why) }
    public static func unsupportedGrantType(_ type: String) -> OAuthError {
        OAuthError("unsupported_grant_type", "grant_type \(type.isEmpty ? "(none)" : type) is not supported; use authorization_code or refresh_token")
    }
    public static func invalidScope(_ why: String) -> OAuthError { OAuthError("invalid_scope", why) }
    public static func invalidTarget(_ why: String) -> OAuthError { OAuthError("invalid_target", why) }
    public static func accessDenied(_ why: String) -> OAuthError { OAuthError("access_denied", why, status: 403) }
    public static func invalidRedirectURI(_ why: String) -> OAuthError { OAuthError("invalid_redirect_uri", why) }
    public static func invalidClientMetadata(_ why: String) -> OAuthError { OAuthError("invalid_client_metadata", why) }
    public static func temporarilyUnavailable(_ why: String) -> OAuthError { OAuthError("temporarily_unavailable", why, status: 503) }
}
