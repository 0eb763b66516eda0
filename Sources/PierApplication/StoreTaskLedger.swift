import MCPCore
import PierServer
import PierStore

/// Shares tasks through Pier's store (SQLite for processes on one machine, PostgreSQL across machines): a task's
/// latest view under `task/<id>`, and its inbox of messages under `task-inbox/<id>`, both changed by
/// compare-and-set and expiring with the task.
struct StoreTaskLedger: TaskLedger {
    let store: any StateStore
    static let snapshots = "task"
    static let inboxes = "task-inbox"
    static let attempts = 16

    func save(taskID: String, snapshot: JSONObject, ttl: Duration) async throws {
        let bytes = JSONValue.object(snapshot).serialized()
        let finished = Self.isTerminal(snapshot)
        for _ in 0..<Self.attempts {
            let current = try await store.get(namespace: Self.snapshots, key: taskID)
            // Views are written from two places (the call that started the task, and the task as it runs), so an
            // older one can arrive last: a task that has ended is never made to look as if it were running again.
            if !finished, let current, let stored = try? JSONValue(parsing: current.value).objectValue, Self.isTerminal(stored) { return }
            let outcome = try await store.compareAndSet(namespace: Self.snapshots, key: taskID, expectedVersion: current?.version, value: bytes, ttl: ttl)
            if outcome.entry != nil { return }
        }
        throw StoreError(.backend, "task \(taskID): its shared view kept changing under the writer")
    }

    /// A view of a task that has ended (completed, failed or cancelled).
    static func isTerminal(_ snapshot: JSONObject) -> Bool {
        ["completed", "failed", "cancelled"].contains(snapshot["status"]?.stringValue ?? "")
    }

    func load(taskID: String) async throws -> JSONObject? {
        guard let entry = try await store.get(namespace: Self.snapshots, key: taskID) else { return nil }
        return try JSONValue(parsing: entry.value).objectValue
    }

    func post(taskID: String, message: JSONObject, ttl: Duration) async throws {
        for _ in 0..<Self.attempts {
            let current = try await store.get(namespace: Self.inboxes, key: taskID)
            var messages = try current.flatMap { try JSONValue(parsing: $0.value).arrayValue } ?? []
            messages.append(.object(message))
            let outcome = try await store.compareAndSet(
                namespace: Self.inboxes, key: taskID, expectedVersion: current?.version, value: JSONValue.array(messages).serialized(), ttl: ttl)
            if outcome.entry != nil { return }
        }
        throw StoreError(.backend, "task \(taskID): its inbox kept changing under the writer")
    }

    func takeMessages(taskID: String) async throws -> [JSONObject] {
        for _ in 0..<Self.attempts {
            guard let current = try await store.get(namespace: Self.inboxes, key: taskID) else { return [] }
            let messages = try JSONValue(parsing: current.value).arrayValue?.compactMap(\.objectValue) ?? []
            if try await store.delete(namespace: Self.inboxes, key: taskID, expectedVersion: current.version) { return messages }
        }
        return []
    }
}
