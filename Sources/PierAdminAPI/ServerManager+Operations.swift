#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import MCPCore
import Logging
import PierGateway
import PierSync
import PierStore

extension ServerManager {
    /// Adds a server from an API body and starts it (unless `enabled` is false).
    /// - Throws: 400 for a bad body, 403 for what the policy forbids, 409 for a taken name.
    public func create(_ body: JSONObject, by holder: APIKeys.Holder) async throws(AdminError) -> JSONObject {
        let definition = try ServerDefinition.parse(body, policy: policy)
        guard !configuredNames.contains(definition.name) else {
            throw .conflict("a server named \"\(definition.name)\" is declared in Pier's config file; choose another name")
        }
        try checkPrefix(of: definition)
        let record = UpstreamServerRecord(
            id: Self.newID(), name: definition.name, transport: definition.transportType, config: JSONValue.object(body).serialized(), enabled: definition.enabled)
        do {
            try await store.createServer(record)
        } catch let error as StoreError where error.kind == .duplicate {
            throw .conflict("a server named \"\(definition.name)\" exists already")
        } catch {
            throw Self.storeDown(error)
        }
        await audit("server.create", server: definition.name, by: holder, detail: Self.summary(definition))
        try await serialized { () async throws(AdminError) in await apply(record) }
        return try view(named: definition.name)
    }

    /// Changes a server added through the API: the stored body with `patch` applied (a member replaces, `null`
    /// removes). `expectedRevision` (from `If-Match`) guards against a change made meanwhile.
    /// - Throws: 404, 409 for a config-file server or a revision conflict, 400/403 as for ``create(_:by:)``.
    public func update(_ name: String, patch: JSONObject, expectedRevision: Int64?, by holder: APIKeys.Holder) async throws(AdminError) -> JSONObject {
        guard !configuredNames.contains(name) else { throw .managedInFile(name) }
        let record = try await stored(name)
        guard case .object(let body) = (try? JSONValue(parsing: record.config)) ?? .null else { throw .unavailable("the stored server cannot be read") }
        let merged = try ServerDefinition.merge(body, patch: patch)
        let definition = try ServerDefinition.parse(merged, policy: policy)
        try checkPrefix(of: definition)
        var changed = record
        changed.config = JSONValue.object(merged).serialized()
        changed.transport = definition.transportType
        changed.enabled = definition.enabled
        let updated = try await save(changed, expectedRevision: expectedRevision ?? record.revision)
        await audit("server.update", server: name, by: holder, detail: "changed \(patch.keys.sorted().joined(separator: ", "))")
        try await serialized { () async throws(AdminError) in await apply(updated) }
        return try view(named: name)
    }

    /// Deletes a server added through the API: its process is gone and its tools are out of the catalogue when
    /// this returns.
    /// - Throws: 404, or 409 for a config-file server.
    public func delete(_ name: String, by holder: APIKeys.Holder) async throws(AdminError) {
        guard !configuredNames.contains(name) else { throw .managedInFile(name) }
        let record = try await stored(name)
        do {
            guard try await store.deleteServer(id: record.id) else { throw AdminError.notFound("no server named \"\(name)\"") }
        } catch let error as AdminError {
            throw error
        } catch {
            throw Self.storeDown(error)
        }
        await audit("server.delete", server: name, by: holder, detail: nil)
        try await serialized { () async throws(AdminError) in
            await unapply(name)
            try? FileManager.default.removeItem(atPath: installer.directory(of: name))
        }
    }

    /// Starts a stopped server. A config-file server starts on this instance; one added through the API is stored
    /// as enabled, so it starts everywhere and after a restart.
    public func start(_ name: String, by holder: APIKeys.Holder) async throws(AdminError) -> JSONObject {
        try await setEnabled(name, true, by: holder)
    }

    /// Stops a server (its process ends, its tools leave the catalogue); as with ``start(_:by:)`` for where it holds.
    public func stop(_ name: String, by holder: APIKeys.Holder) async throws(AdminError) -> JSONObject {
        try await setEnabled(name, false, by: holder)
    }

    /// Stops a server and starts it again: a new process and a new session. A failed install from git is tried again.
    public func restart(_ name: String, by holder: APIKeys.Holder) async throws(AdminError) -> JSONObject {
        if configuredNames.contains(name) {
            await audit("server.restart", server: name, by: holder, detail: nil)
            try await serialized { () async throws(AdminError) in _ = await gateway.restart(named: name) }
            return try view(named: name)
        }
        var record = try await stored(name)
        if !record.enabled {
            record.enabled = true
            record = try await save(record, expectedRevision: record.revision)
        }
        await audit("server.restart", server: name, by: holder, detail: nil)
        let current = record
        try await serialized { () async throws(AdminError) in
            let failedInstall = state.withLock { s -> Bool in
                if case .failed? = s.installs[name] { return true }
                return false
            }
            if failedInstall || gateway.upstream(named: name) == nil {
                // Forget what was applied, so that the record is applied (and installed) afresh.
                await unapply(name)
                await apply(current)
            } else if state.withLock({ $0.applied[name]?.revision }) != current.revision {
                await apply(current)
            } else {
                _ = await gateway.restart(named: name)
            }
        }
        return try view(named: name)
    }

    func setEnabled(_ name: String, _ enabled: Bool, by holder: APIKeys.Holder) async throws(AdminError) -> JSONObject {
        let action = enabled ? "server.start" : "server.stop"
        if configuredNames.contains(name) {
            await audit(action, server: name, by: holder, detail: "on this instance until Pier restarts (the config file decides at start-up)")
            try await serialized { () async throws(AdminError) in
                if enabled {
                    gateway.start(named: name)
                } else {
                    await gateway.stop(named: name)
                }
            }
            return try view(named: name)
        }
        var record = try await stored(name)
        if record.enabled != enabled {
            record.enabled = enabled
            record = try await save(record, expectedRevision: record.revision)
        }
        await audit(action, server: name, by: holder, detail: nil)
        let current = record
        try await serialized { () async throws(AdminError) in
            await apply(current)
            if enabled, gateway.upstream(named: name)?.status.phase == .stopped { gateway.start(named: name) }
        }
        return try view(named: name)
    }

    /// Two servers with one tool prefix would offer clashing tool names.
    /// - Throws: 409 naming the server that has the prefix.
    func checkPrefix(of definition: ServerDefinition) throws(AdminError) {
        let prefix = definition.prefix ?? definition.name
        guard !prefix.isEmpty else { return }
        let others = configured + state.withLock { $0.applied.values.map(\.definition) }
        if let other = others.first(where: { $0.name != definition.name && ($0.prefix ?? $0.name) == prefix }) {
            var error = AdminError.conflict("server \"\(other.name)\" uses the tool prefix \"\(prefix)\" already; set another \"prefix\"")
            error.field = "prefix"
            throw error
        }
    }

    // MARK: store

    /// The stored record of an API server.
    func stored(_ name: String) async throws(AdminError) -> UpstreamServerRecord {
        let records: [UpstreamServerRecord]
        do {
            records = try await store.listServers()
        } catch {
            throw Self.storeDown(error)
        }
        guard let record = records.first(where: { $0.name == name || $0.id == name }) else { throw .notFound("no server named \"\(name)\"") }
        return record
    }

    func save(_ record: UpstreamServerRecord, expectedRevision: Int64) async throws(AdminError) -> UpstreamServerRecord {
        let updated: UpstreamServerRecord?
        do {
            updated = try await store.updateServer(record, expectedRevision: expectedRevision)
        } catch let error as StoreError where error.kind == .notFound {
            throw .notFound("no server named \"\(record.name)\"")
        } catch {
            throw Self.storeDown(error)
        }
        guard let updated else {
            throw .conflict("server \"\(record.name)\" changed meanwhile (expected revision \(expectedRevision)); read it again and retry")
        }
        return updated
    }

    static func storeDown(_ error: any Error) -> AdminError { .unavailable("the server registry cannot be reached now") }

    /// Writes an admin change to the activity log (a failure to write is logged, not returned: the change is made).
    func audit(_ action: String, server: String, by holder: APIKeys.Holder, detail: String?) async {
        let event = ActivityEvent(
            at: .now(), server: server, tool: action, durationMilliseconds: 0, status: "ok", subject: holder.actor, kind: ActivityEvent.admin, detail: detail)
        do {
            try await store.append([event])
        } catch {
            logger.error("activity log unwritable", metadata: ["action": "\(action)", "error": "\(error)"])
        }
        gateway.upstream(named: server)?.note("\(action) by \(holder.actor)")
        // Every admin change is one to the registry, or to a server's state there: the other instances apply it now.
        await settings.announce?()
        logger.notice("admin change", metadata: ["action": "\(action)", "server": "\(server)", "by": "\(holder.actor)"])
    }

    /// A line for the activity log: what runs, never a secret.
    static func summary(_ definition: ServerDefinition) -> String {
        switch definition.transport {
        case .stdio(let command, let arguments, let environment, _):
            "stdio: \(([command] + arguments).joined(separator: " "))" + (environment.isEmpty ? "" : " (env \(environment.keys.sorted().joined(separator: ", ")))")
        case .remote(let url, let type, _): "\(type): \(ServerViews.redacted(url))"
        case .git(let source, _, _, _): "from git: \(ServerViews.redacted(source.url))\(source.ref.map { " at \($0)" } ?? "")"
        }
    }

    /// A fresh record id: `srv_` and 16 hex digits.
    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        let hex = String(generator.next() as UInt64, radix: 16)
        return "srv_" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
