public import MCPCore
public import PierServer
import PierSync

/// Which upstream runs each task a forwarded `tools/call` created, so that `tasks/get`, `tasks/update` and
/// `tasks/cancel` for it go to that upstream (the runtime asks every ``TaskRouter`` about ids it does not know).
///
/// Bounded: past ``limit`` tasks the oldest are forgotten (their clients then get "Invalid task", as for an
/// expired task).
public final class UpstreamTasks: TaskRouter, Sendable {
    public let limit: Int
    private struct State {
        var owners: [String: Forwarder] = [:]
        var order: [String] = []
        var head = 0
    }
    private let state = Locked(State())

    public init(limit: Int = 10_000) {
        self.limit = limit
    }

    /// Tasks known now.
    public var count: Int { state.withLock { $0.owners.count } }

    /// The id of the task a `tools/call` result created, if it is a `CreateTaskResult` (the tasks extension's
    /// `resultType: "task"` with `taskId`, or the 2025-11-25 `task` object).
    static func taskID(of result: JSONObject) -> String? {
        if result["resultType"]?.stringValue == "task", let id = result["taskId"]?.stringValue { return id }
        return result["task"]?["taskId"]?.stringValue
    }

    func record(_ id: String, owner: Forwarder) {
        state.withLock { s in
            if s.owners.updateValue(owner, forKey: id) == nil { s.order.append(id) }
            while s.owners.count > limit, s.head < s.order.count {
                s.owners[s.order[s.head]] = nil
                s.head += 1
            }
            if s.head > 1_024, s.head * 2 > s.order.count {
                s.order.removeFirst(s.head)
                s.head = 0
            }
        }
    }

    /// Forgets the tasks of an upstream session that ended: they went with it.
    func forget(session: ObjectIdentifier) {
        state.withLock { s in
            s.owners = s.owners.filter { ObjectIdentifier($0.value.session) != session }
            s.order = s.order.filter { s.owners[$0] != nil }
            s.head = 0
        }
    }

    public func route(_ request: JSONRPCRequest, taskID: String, context: MCPRequestContext) async throws -> JSONObject? {
        guard let owner = state.withLock({ $0.owners[taskID] }) else { return nil }
        var params = request.params
        params["_meta"] = nil
        return try await UpstreamCatalog.rethrown(owner) {
            try await owner.forward(request.method, params: params, name: taskID, context: context)
        }
    }
}
