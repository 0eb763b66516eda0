public import MCPCore

/// What the sender of one request wants of it while it runs: the notifications about it (progress, log
/// messages on its stream) and the requests the upstream asks meanwhile (elicitation, sampling, roots).
///
/// Both run in the sending task, so an error the request handler throws ends the request (the upstream is told
/// to cancel) and reaches the sender.
public struct CallObserver: Sendable {
    public typealias Notification = @Sendable (JSONRPCNotification) async -> Void
    public typealias Request = @Sendable (JSONRPCRequest) async throws -> JSONRPCResponse.Outcome

    public var notification: Notification
    public var request: Request
    /// Ask the upstream for progress (a `progressToken` of Pier's own goes with the request).
    public var wantsProgress: Bool

    public init(wantsProgress: Bool, notification: @escaping Notification, request: @escaping Request) {
        self.wantsProgress = wantsProgress
        self.notification = notification
        self.request = request
    }
}
