import HTTPTypes
import Hummingbird
import MCPCore
import NIOCore
import ServiceLifecycle
import PierSync

/// `GET /dashboard/events`: the live updates of the dashboard's pages, as server-sent events.
///
/// - `activity`: each new activity-log event (a JSON row), read from the store once a second, so events from
///   every instance on the same store arrive;
/// - `servers`: every two seconds, each server's state, tool count and restarts;
/// - `stderr`: with `?server=NAME`, that server's latest stderr lines when they change.
///
/// At most `limit` streams are open at once (more get 503); a stream ends when its client goes, or when Pier
/// shuts down.
final class DashboardStreams: Sendable {
    let limit: Int
    private let open = Locked(0)

    init(limit: Int) { self.limit = limit }

    func events(_ request: Request, data: DashboardData, liveness channel: (any Channel)?) -> Response {
        guard reserve() else { return Response(status: .serviceUnavailable, headers: [.retryAfter: "5"]) }
        let after = request.uri.queryParameters["after"].flatMap { Int64($0) }
        let server = request.uri.queryParameters["server"].map(String.init)
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store", HTTPField.Name("X-Accel-Buffering")!: "no"],
            body: ResponseBody { writer in
                defer { self.release() }
                try await self.pump(into: &writer, data: data, after: after, server: server, channel: channel)
                try await writer.finish(nil)
            })
    }

    func pump(into writer: inout any ResponseBodyWriter, data: DashboardData, after: Int64?, server: String?, channel: (any Channel)?) async throws {
        var newest = after
        if newest == nil, case .success(let rows) = await data.activity(ActivityQuery(limit: 1)) { newest = rows.first?.id ?? 0 }
        var lastStderr: [String]? = nil
        var tick = 0
        try await writer.write(ByteBuffer(string: "retry: 3000\n\n"))
        // Checked once a second: a closed client or a shutting-down Pier ends the stream within a second.
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            if let channel, !channel.isActive { return }
            if case .success(let rows) = await data.activity(ActivityQuery(after: newest, limit: 100)) {
                for row in rows.reversed() {
                    try await writer.write(Self.event("activity", id: String(row.id), Self.json(row)))
                    newest = max(newest ?? 0, row.id)
                }
            }
            if tick % 2 == 0 {
                let servers = data.servers()
                let summary: [JSONValue] = servers.map {
                    ["name": .string($0.name), "state": .string($0.state), "tools": .int($0.tools), "restarts": .int($0.restarts)]
                }
                try await writer.write(Self.event("servers", id: nil, .array(summary)))
                if let server, let lines = servers.first(where: { $0.name == server })?.stderr, lines != lastStderr {
                    lastStderr = lines
                    try await writer.write(Self.event("stderr", id: nil, .array(lines.map(JSONValue.string))))
                }
            }
            tick += 1
            try await Task.sleep(for: .seconds(1))
        }
    }

    static func json(_ row: ActivityRow) -> JSONValue {
        .object([
            "id": .int(Int(row.id)), "at": .string(row.at), "kind": .string(row.kind), "server": .string(row.server), "action": .string(row.action),
            "status": .string(row.status), "subject": row.subject.map(JSONValue.string) ?? .null, "duration_ms": .int(Int(row.durationMilliseconds)),
            "detail": row.detail.map(JSONValue.string) ?? .null,
        ])
    }

    static func event(_ name: String, id: String?, _ data: JSONValue) -> ByteBuffer {
        var text = "event: \(name)\n"
        if let id { text += "id: \(id)\n" }
        text += "data: \(data.serializedString())\n\n"
        return ByteBuffer(string: text)
    }

    func reserve() -> Bool {
        open.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    func release() { open.withLock { $0 -= 1 } }
}
