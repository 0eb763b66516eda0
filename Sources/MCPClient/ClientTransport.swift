public import MCPCore

/// One message on its way to an upstream server, with what an HTTP transport puts in its headers.
public struct Outbound: Sendable {
    public var message: JSONRPCMessage
    /// The negotiated protocol version (`MCP-Protocol-Version`); `nil` before negotiation ends.
    public var protocolVersion: String?
    /// The target a 2026-07-28 request names in `Mcp-Name` (a tool or prompt name, a resource URI).
    public var name: String?
    /// When a transport that answers inline must give up on the answer (``ClientTransportError/deadlineExceeded``).
    public var deadline: ContinuousClock.Instant?

    public init(_ message: JSONRPCMessage, protocolVersion: String? = nil, name: String? = nil, deadline: ContinuousClock.Instant? = nil) {
        self.message = message
        self.protocolVersion = protocolVersion
        self.name = name
        self.deadline = deadline
    }
}

/// How ``ClientSession`` reaches one upstream server: a child's stdin/stdout, Streamable HTTP, or HTTP+SSE.
///
/// A transport only moves messages. Which messages to send, and what the replies mean, is the session's business.
public protocol ClientTransport: Sendable {
    /// What the upstream is, for logs and errors (`stdio uvx mcp-server-time`, `http://127.0.0.1:9000/mcp`).
    var label: String { get }

    /// `true` when a request's replies come back on the request itself (HTTP): ``send(_:replies:)`` then returns
    /// only after the last of them, having handed each to `replies` in the sending task. `false` when everything
    /// arrives through ``run(connected:deliver:)`` (stdio).
    var answersInline: Bool { get }

    /// Connects, calls `connected` once messages can be sent, then hands `deliver` every message that does not
    /// come back on a send of its own, until the upstream goes away (returns) or the connection fails (throws).
    /// Cancelling the task closes the connection.
    func run(connected: @Sendable () async -> Void, deliver: @escaping @Sendable (JSONRPCMessage) async -> Void) async throws

    /// Sends one message. Replies that come back on it are handed to `replies` before this returns; an error
    /// `replies` throws ends the exchange and is rethrown as it is.
    func send(_ outbound: Outbound, replies: @escaping @Sendable (JSONRPCMessage) async throws -> Void) async throws

    /// The handshake finished: an HTTP transport now holds a session id and may open its listening stream.
    func sessionEstablished(protocolVersion: String) async

    /// Forgets the upstream's session (it expired); the next messages start a new one.
    func resetSession() async
}

/// Why a transport could not carry a message. Descriptions are safe for logs and for an operator, never for a
/// client (they name upstream URLs).
public enum ClientTransportError: Error, Sendable, CustomStringConvertible {
    /// The connection is gone (the child exited, the stream ended).
    case closed(String)
    /// The upstream no longer knows the session (HTTP 404 on a session): initialise again.
    case sessionExpired
    /// The upstream answered with an HTTP status Pier cannot use.
    case status(Int, String)
    /// The upstream sent more than the transport accepts in one message.
    case tooLarge(Int)
    /// The connection could not be made.
    case unreachable(String)
    /// The outbound message's deadline passed before the answer was complete.
    case deadlineExceeded

    public var description: String {
        switch self {
        case .closed(let why): "connection closed: \(why)"
        case .sessionExpired: "the upstream's session expired"
        case .status(let status, let body): body.isEmpty ? "HTTP \(status)" : "HTTP \(status): \(body)"
        case .tooLarge(let limit): "a message over \(limit) bytes"
        case .unreachable(let why): "unreachable: \(why)"
        case .deadlineExceeded: "no complete answer before the deadline"
        }
    }
}
