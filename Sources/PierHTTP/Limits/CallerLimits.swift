import CoreMetrics
public import Hummingbird
import HTTPTypes
import MCPCore
import NIOCore
public import PierServer

/// The rate limits of an MCP endpoint, keyed on who calls: the verified subject of the caller's token, else the
/// client's address (behind a trusted proxy, `Forwarded: for=` or the first `X-Forwarded-For`). Never the session, which a client can
/// renew at will.
///
/// - `perCaller`: every HTTP request to the endpoint (POST, GET, DELETE, HTTP+SSE), per caller;
/// - `perTool`: every `tools/call`, per caller and tool.
///
/// Over a limit, a POST gets 429 with `Retry-After` and a JSON-RPC error whose message says which limit and
/// when to retry; on the 2024-11-05 transport the error goes on the stream like any answer.
public struct CallerLimits: Sendable {
    public let limiter: any RateLimiter
    public let perCaller: RateLimit?
    public let perTool: RateLimit?
    public let trustForwarded: Bool

    public init(limiter: any RateLimiter, perCaller: RateLimit?, perTool: RateLimit?, trustForwarded: Bool = false) {
        self.limiter = limiter
        self.perCaller = perCaller
        self.perTool = perTool
        self.trustForwarded = trustForwarded
    }

    /// The JSON-RPC error code of a refusal (implementation-defined server error range).
    public static let errorCode = -32_029

    /// Who `request` comes from, for the buckets: `sub:<subject>` or `ip:<address>`.
    public func caller(_ request: Request, principal: Principal?, peer: String?) -> String {
        if let subject = principal?.subject { return "sub:" + subject }
        return "ip:" + Forwarded.clientAddress(request, peer: peer, trusted: trustForwarded)
    }

    /// The refusal of one more request from `caller` at `endpoint`, if it is over `perCaller`.
    func admit(caller: String, endpoint: String) async -> Response? {
        guard let perCaller else { return nil }
        guard case .refused(let wait) = await limiter.take("caller|\(endpoint)|\(caller)", limit: perCaller) else { return nil }
        Self.count("caller", endpoint: endpoint)
        return Self.tooMany(id: nil, wait: wait, message: "Rate limit exceeded: \(perCaller.perMinute) requests a minute; retry in \(wait) s")
    }

    /// The refusal of `request`, if it is a `tools/call` over `perTool` for `caller`.
    func admitCall(_ request: JSONRPCRequest, caller: String, endpoint: String) async -> CallRefusal? {
        guard let perTool, request.method == Method.toolsCall, let tool = request.params["name"]?.stringValue else { return nil }
        guard case .refused(let wait) = await limiter.take("tool|\(endpoint)|\(tool)|\(caller)", limit: perTool) else { return nil }
        Self.count("tool", endpoint: endpoint)
        let message = "Rate limit exceeded for \(tool): \(perTool.perMinute) calls a minute; retry in \(wait) s"
        let error = MCPError(code: Self.errorCode, message: message, data: ["retryAfterSeconds": .int(wait), "limit": "tool", "tool": .string(tool)])
        return .limited(JSONRPCResponse(id: request.id, error: error), retryAfter: wait)
    }

    static func tooMany(id: JSONRPCID?, wait: Int, message: String) -> Response {
        let error = MCPError(code: errorCode, message: message, data: ["retryAfterSeconds": .int(wait), "limit": "caller"])
        var response = HTTPReply.jsonRPCError(status: .tooManyRequests, error: error, id: id)
        response.headers[.retryAfter] = String(wait)
        return response
    }

    /// `pier_rate_limited_total{endpoint, limit}`.
    static func count(_ limit: String, endpoint: String) {
        Counter(label: "pier_rate_limited_total", dimensions: [("endpoint", endpoint), ("limit", limit)]).increment()
    }
}
