public import HTTPTypes

/// A refusal of the admin API, as the client sees it: an HTTP status, a stable code, a message meant for the
/// operator (never internal error text), and the request field at fault when there is one.
public struct AdminError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    /// `invalid_request`, `unauthorized`, `forbidden`, `not_found`, `method_not_allowed`, `conflict`, `rate_limited`,
    /// `unavailable`.
    public var code: String
    public var message: String
    /// The body field the message is about (`args`, `env.LD_PRELOAD`, …).
    public var field: String?
    /// Seconds to wait, for `rate_limited`.
    public var retryAfter: Int?
    /// The methods a path answers, for `method_not_allowed`.
    public var allow: String?

    public init(status: HTTPResponse.Status, code: String, message: String, field: String? = nil, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.retryAfter = retryAfter
    }

    public var description: String { field.map { "\($0): \(message)" } ?? message }

    /// 400: the body or a parameter is wrong.
    public static func invalid(_ field: String?, _ message: String) -> AdminError {
        AdminError(status: .badRequest, code: "invalid_request", message: message, field: field)
    }

    /// 401: no key, or not a live one.
    public static let unauthorized = AdminError(
        status: .unauthorized, code: "unauthorized", message: "an admin API key is required: send Authorization: Bearer <key>")

    /// 404: no server, key or route of that name.
    public static func notFound(_ what: String) -> AdminError { AdminError(status: .notFound, code: "not_found", message: what) }

    /// 409: taken, or managed elsewhere.
    public static func conflict(_ message: String) -> AdminError { AdminError(status: .conflict, code: "conflict", message: message) }

    /// 409 for a server declared in the config file.
    public static func managedInFile(_ name: String) -> AdminError {
        .conflict("server \"\(name)\" is declared in Pier's config file (mcpServers) and is managed there; edit the file and restart Pier to change or remove it")
    }

    /// 429 after too many failed attempts.
    public static func rateLimited(retryAfter seconds: Int) -> AdminError {
        AdminError(
            status: .tooManyRequests, code: "rate_limited", message: "too many failed attempts from this address; try again in \(seconds) s",
            retryAfter: seconds)
    }

    /// 503: the store or the upstream cannot answer now.
    /// A key over `RATE_LIMIT_PER_MINUTE`.
    public static func overLimit(perMinute: Int, retryAfter seconds: Int) -> AdminError {
        AdminError(
            status: .tooManyRequests, code: "rate_limited", message: "rate limit exceeded: \(perMinute) requests a minute per key; retry in \(seconds) s",
            retryAfter: seconds)
    }

    public static func unavailable(_ message: String) -> AdminError { AdminError(status: .serviceUnavailable, code: "unavailable", message: message) }
}
