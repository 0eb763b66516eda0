public import MCPCore

/// Answers `tasks/get`, `tasks/update` and `tasks/cancel` for task ids the server does not run itself: an
/// upstream's tasks behind the gateway, say, whose `CreateTaskResult` a tool call passed on. The server asks its
/// routers, in order, after its own tasks and before the shared ledger.
///
/// ```swift
/// struct UpstreamTasks: TaskRouter {
///     func route(_ request: JSONRPCRequest, taskID: String, context: MCPRequestContext) async throws -> JSONObject? {
///         guard taskID.hasPrefix("up-") else { return nil }
///         return try await upstream.forward(request)
///     }
/// }
/// ```
public protocol TaskRouter: Sendable {
    /// The result of `request` (a `tasks/*` request for `taskID`) when this router owns the task; `nil` when it
    /// does not, so the next one is asked.
    func route(_ request: JSONRPCRequest, taskID: String, context: MCPRequestContext) async throws -> JSONObject?
}
