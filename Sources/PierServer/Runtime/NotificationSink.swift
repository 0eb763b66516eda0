public import MCPCore

/// Where a request's notifications (progress, log messages) go: an SSE response stream, a session stream,
/// or nowhere. Awaiting `send` applies the transport's backpressure.
public struct NotificationSink: Sendable {
    let send: @Sendable (JSONRPCNotification) async -> Void

    public init(_ send: @escaping @Sendable (JSONRPCNotification) async -> Void) { self.send = send }

    /// Drops everything; for transports that cannot deliver notifications on this request.
    public static let discard = NotificationSink { _ in }

    public func callAsFunction(_ notification: JSONRPCNotification) async { await send(notification) }
}
