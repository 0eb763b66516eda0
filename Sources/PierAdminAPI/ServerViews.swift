public import MCPCore
import PierGateway
import PierSync
import PierStore

/// How the admin API shows servers: never a variable's or header's value, never a URL's credentials.
enum ServerViews {
    /// `url` without user information.
    static func redacted(_ url: String) -> String {
        guard let schemeEnd = url.firstRange(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<schemeEnd.upperBound]) + "***@" + String(rest[rest.index(after: at)...])
    }

    static func time(_ milliseconds: Int64?) -> JSONValue { milliseconds.map { .string(ISOTime.string(milliseconds: $0)) } ?? .null }

    static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }

    static func names(_ list: [String]) -> JSONValue { .array(list.map(JSONValue.string)) }
}

extension ServerManager {
    /// Every server: the config file's in its order, then those added through the API by name.
    public func list() -> [JSONObject] {
        let applied = state.withLock { $0.applied }
        return configured.map { view(of: $0, source: "config", applied: nil) }
            + applied.keys.sorted().compactMap { name in applied[name].map { view(of: $0.definition, source: "api", applied: $0) } }
    }

    /// One server, by name (or, for one added through the API, its id).
    /// - Throws: 404.
    public func view(named name: String) throws(AdminError) -> JSONObject {
        if let definition = configured.first(where: { $0.name == name }) { return view(of: definition, source: "config", applied: nil) }
        let applied = state.withLock { $0.applied }
        guard let entry = applied[name] ?? applied.values.first(where: { $0.id == name }) else { throw .notFound("no server named \"\(name)\"") }
        return view(of: entry.definition, source: "api", applied: entry)
    }

    /// The name a path parameter refers to (a name, or an API server's id).
    public func resolve(_ nameOrID: String) -> String? {
        if configured.contains(where: { $0.name == nameOrID }) { return nameOrID }
        let applied = state.withLock { $0.applied }
        if applied[nameOrID] != nil { return nameOrID }
        return applied.values.first { $0.id == nameOrID }?.definition.name
    }

    func view(of definition: ServerDefinition, source: String, applied: Applied?) -> JSONObject {
        let name = definition.name
        var out: JSONObject = [
            "id": .string(applied?.id ?? name), "name": .string(name), "description": ServerViews.optional(definition.description),
            "transport_type": .string(definition.transportType),
        ]
        let install = state.withLock { $0.installs[name] }
        let status = gateway.upstream(named: name)?.status
        switch (install, status) {
        case (.running?, _):
            out["status"] = "starting"
            out["last_error"] = .null
        case (.failed(let reason)?, _):
            out["status"] = "failed"
            out["last_error"] = .string(reason)
        case (nil, let status?):
            out["status"] = .string(status.phase.description)
            out["last_error"] = ServerViews.optional(status.phase.reason ?? status.lastError)
        case (nil, nil):
            out["status"] = "stopped"
            out["last_error"] = .null
        }
        out["source"] = .string(source)
        out["enabled"] = .bool(definition.enabled)
        out["tools"] = .int(status?.tools ?? 0)
        out["restarts"] = .int(status?.restarts ?? 0)
        out["started_at"] = ServerViews.time(status?.startedAt)
        out["pid"] = status?.pid.map { .int(Int($0)) } ?? .null
        out["protocol_version"] = ServerViews.optional(status?.protocolVersion)
        out["auto_restart"] = .bool(definition.autoRestart)
        out["prefix"] = .string(definition.prefix ?? name)
        switch definition.transport {
        case .stdio(let command, let arguments, _, let directory):
            out["command"] = .string(command)
            out["args"] = ServerViews.names(arguments)
            out["cwd"] = ServerViews.optional(directory)
        case .remote(let url, _, _):
            out["url"] = .string(ServerViews.redacted(url))
        case .git(let source, let command, let arguments, _):
            out["github_url"] = .string(ServerViews.redacted(source.url))
            out["ref"] = ServerViews.optional(source.ref)
            out["subdirectory"] = ServerViews.optional(source.subdirectory)
            out["command"] = ServerViews.optional(command)
            out["args"] = ServerViews.names(arguments)
        }
        out["env"] = ServerViews.names(definition.environmentNames)
        out["headers"] = ServerViews.names(definition.headerNames)
        out["revision"] = applied.map { .int(Int($0.revision)) } ?? .null
        out["created_at"] = ServerViews.time(applied?.createdAt.milliseconds)
        out["updated_at"] = ServerViews.time(applied?.updatedAt.milliseconds)
        return out
    }

    /// Asks the server now, within `timeout`: `(healthy, body)`.
    public func health(_ name: String, timeout: Duration = .seconds(5)) async throws(AdminError) -> (healthy: Bool, body: JSONObject) {
        let server = try view(named: name)
        var body: JSONObject = ["name": .string(name), "status": server["status"] ?? "stopped", "checked_at": ServerViews.time(WallClock.milliseconds())]
        guard let upstream = gateway.upstream(named: name), upstream.status.phase == .running else {
            body["healthy"] = false
            body["reason"] = .string(server["last_error"]?.stringValue ?? "the server is \(server["status"]?.stringValue ?? "stopped")")
            return (false, body)
        }
        do {
            let latency = try await upstream.check(timeout: timeout)
            body["healthy"] = true
            body["latency_ms"] = .double((latency.inMilliseconds * 100).rounded() / 100)
            return (true, body)
        } catch {
            body["healthy"] = false
            body["reason"] = .string(Self.describe(error))
            return (false, body)
        }
    }

    /// What the gateway and the upstream said, in words fit for an operator.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as GatewayError: error.description
        default: "the upstream did not answer the health check: \(error)"
        }
    }

    /// The newest `lines` of Pier's events for the server (install steps included) and of its stderr.
    public func logs(_ name: String, lines: Int) throws(AdminError) -> JSONObject {
        _ = try view(named: name)
        let upstream = gateway.upstream(named: name)
        var events = upstream?.events(last: lines) ?? []
        events += state.withLock { $0.installLogs[name]?.last(lines) ?? [] }
        events.sort { $0.at < $1.at }
        let stderr = upstream?.status.stderr.suffix(lines) ?? []
        return [
            "name": .string(name),
            "events": .array(
                events.suffix(lines).map { .object(["at": ServerViews.time($0.at), "level": .string($0.level), "message": .string($0.message)]) }),
            "stderr": ServerViews.names(Array(stderr)),
        ]
    }

    /// The upstream's own tools and the names Pier exposes them under.
    public func tools(_ name: String) throws(AdminError) -> JSONObject {
        let server = try view(named: name)
        let tools = gateway.upstream(named: name)?.tools ?? []
        return [
            "name": .string(name), "status": server["status"] ?? "stopped",
            "tools": .array(
                tools.map { tool in
                    .object([
                        "name": .string(tool.name), "exposed_as": ServerViews.optional(tool.exposedAs), "title": ServerViews.optional(tool.title),
                        "description": ServerViews.optional(tool.description),
                    ])
                }),
        ]
    }
}

extension Duration {
    var inMilliseconds: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }
}
