import MCPCore
import PierServer
import PierStore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Shares tasks through Pier's store (SQLite for processes on one machine, PostgreSQL across machines): a task's
/// latest view under `task/<id>` with the instance that runs it, and its inbox of messages under
/// `task-inbox/<id>`, both changed by compare-and-set and expiring with the task. A task still running whose
/// instance has died (its ``InstancePresence`` mark gone) reads as failed, and is stored so.
struct StoreTaskLedger: TaskLedger {
    let store: any StateStore
    /// This instance, whose tasks the views it saves belong to; `nil`: owners are not recorded (one process).
    var presence: InstancePresence?
    /// Tells a task's instance that a message was left for it; `nil`: it finds it at its next look.
    var cluster: (any ClusterBus)? = nil
    static let snapshots = "task"
    static let inboxes = "task-inbox"
    static let attempts = 16

    func save(taskID: String, snapshot: JSONObject, revision: Int, ttl: Duration) async throws {
        var stored: JSONObject = ["view": .object(snapshot), "revision": .int(revision)]
        if let presence { stored["owner"] = .string(presence.id) }
        let bytes = JSONValue.object(stored).serialized()
        let finished = Self.isFinished(snapshot)
        for _ in 0..<Self.attempts {
            let current = try await store.get(namespace: Self.snapshots, key: taskID)
            // Views are written from two places (the call that started the task, and the task as it runs), so an
            // older one can arrive last: it never replaces a later revision (a task waiting for input would look
            // as if it were working until it next changed), and a task that has ended never looks as if it were
            // running again.
            if let current, let previous = Self.read(current) {
                if !finished, Self.isFinished(previous.view) { return }
                if let seen = previous.revision, seen >= revision { return }
            }
            let outcome = try await store.compareAndSet(namespace: Self.snapshots, key: taskID, expectedVersion: current?.version, value: bytes, ttl: ttl)
            if outcome.entry != nil { return }
        }
        throw StoreError(.backend, "task \(taskID): its shared view kept changing under the writer")
    }

    /// A stored entry as its view, owner and revision (entries written before owners were recorded are the bare
    /// view; before revisions were, they have none).
    static func read(_ entry: StateEntry) -> (view: JSONObject, owner: String?, revision: Int?)? {
        guard case .object(let stored)? = try? JSONValue(parsing: entry.value) else { return nil }
        if case .object(let view)? = stored["view"] { return (view, stored["owner"]?.stringValue, stored["revision"]?.intValue) }
        return (stored, nil, nil)
    }

    func load(taskID: String) async throws -> JSONObject? {
        guard let entry = try await store.get(namespace: Self.snapshots, key: taskID), let (view, owner, revision) = Self.read(entry) else { return nil }
        // A running task is orphaned when its instance's mark has gone and its view is older than a mark lives
        // (a view saved moments before the instance's first mark is not taken for one of a dead instance).
        guard !Self.isFinished(view), let owner, let presence, entry.updatedAt < Timestamp.now().adding(.zero - InstancePresence.lifetime),
            try await !presence.isAlive(owner)
        else { return view }
        let reason = "The Pier instance running this task stopped before it finished"
        var failed = view
        failed["status"] = "failed"
        failed["statusMessage"] = .string(reason)
        failed["error"] = .object(MCPError(code: -32603, message: reason).json)
        failed["lastUpdatedAt"] = .string(Date().formatted(.iso8601))
        failed["inputRequests"] = nil
        let ttl = Duration.milliseconds(view["ttlMs"]?.intValue ?? 600_000)
        try await save(taskID: taskID, snapshot: failed, revision: (revision ?? 0) + 1, ttl: ttl)
        return failed
    }

    func post(taskID: String, message: JSONObject, ttl: Duration) async throws {
        for _ in 0..<Self.attempts {
            let current = try await store.get(namespace: Self.inboxes, key: taskID)
            var messages = try current.flatMap { try JSONValue(parsing: $0.value).arrayValue } ?? []
            messages.append(.object(message))
            let outcome = try await store.compareAndSet(
                namespace: Self.inboxes, key: taskID, expectedVersion: current?.version, value: JSONValue.array(messages).serialized(), ttl: ttl)
            if outcome.entry != nil {
                await wake(taskID)
                return
            }
        }
        throw StoreError(.backend, "task \(taskID): its inbox kept changing under the writer")
    }

    /// Wakes the relay of `taskID` on the instance that runs it.
    func wake(_ taskID: String) async {
        guard let cluster, let entry = try? await store.get(namespace: Self.snapshots, key: taskID), let owner = Self.read(entry)?.owner,
            owner != cluster.instance
        else { return }
        await cluster.publish(ClusterMessage(.taskMessage, ["task": .string(taskID)], to: owner))
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
