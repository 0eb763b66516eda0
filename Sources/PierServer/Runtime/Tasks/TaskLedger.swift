public import MCPCore

/// Where instances of Pier behind one load balancer share their tasks: a snapshot of each task, so `tasks/get`
/// answers on any instance, and an inbox of `tasks/cancel` and `tasks/update` messages that the instance running
/// the task collects and applies.
public protocol TaskLedger: Sendable {
    /// Stores the latest `tasks/get` view of a task, kept for `ttl`. `revision` orders a task's views: one arriving
    /// after a view of a later revision is dropped (views are written concurrently, so they can land out of order).
    func save(taskID: String, snapshot: JSONObject, revision: Int, ttl: Duration) async throws
    /// The latest stored view of a task, if any.
    func load(taskID: String) async throws -> JSONObject?
    /// Leaves a message (`{"cancel": true}` or `{"inputResponses": {…}}`) for the instance running the task.
    func post(taskID: String, message: JSONObject, ttl: Duration) async throws
    /// Takes every message left for a task, oldest first, and removes them.
    func takeMessages(taskID: String) async throws -> [JSONObject]
}

extension TaskLedger {
    /// Whether a stored view is of a task that has ended (completed, failed or cancelled).
    public static func isFinished(_ view: JSONObject) -> Bool {
        TaskRecord.Status(rawValue: view["status"]?.stringValue ?? "")?.isTerminal == true
    }
}
