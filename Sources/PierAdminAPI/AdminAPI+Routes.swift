import HTTPTypes
import Hummingbird
import MCPCore
import PierStore

extension AdminAPI {
    struct Entry: Sendable {
        let route: Route
        let handler: @Sendable (AdminAPI) -> Handler
    }

    static func entry(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping @Sendable (AdminAPI) -> Handler) -> Entry {
        Entry(route: Route(method: method, path: path), handler: handler)
    }

    /// The routes and what serves each; the OpenAPI document describes exactly these (a test holds them together).
    static let table: [Entry] = [
        entry(.get, "/api/v1/servers") { api in { _, _, _ throws(AdminError) in AdminReply.json(["servers": .array(api.manager.list().map(JSONValue.object))]) } },
        entry(.post, "/api/v1/servers") { api in
            { request, _, holder throws(AdminError) in
                let body = try await AdminAPI.body(request)
                if body["github_url"] != nil { throw .invalid("github_url", "a server from git is added with POST /api/v1/servers/from-github") }
                return AdminReply.json(.object(try await api.manager.create(body, by: holder)), status: .created)
            }
        },
        entry(.post, "/api/v1/servers/from-github") { api in
            { request, _, holder throws(AdminError) in
                let body = try await AdminAPI.body(request)
                guard body["github_url"] != nil else { throw .invalid("github_url", "required: the repository to clone") }
                return AdminReply.json(.object(try await api.manager.create(body, by: holder)), status: .created)
            }
        },
        entry(.get, "/api/v1/servers/{name}") { api in
            { _, parameters, _ throws(AdminError) in
                let server = try api.manager.view(named: try api.serverName(parameters))
                var response = AdminReply.json(.object(server))
                if let revision = server["revision"]?.intValue { response.headers[.eTag] = "\"\(revision)\"" }
                return response
            }
        },
        entry(.patch, "/api/v1/servers/{name}") { api in
            { request, parameters, holder throws(AdminError) in
                let name = try api.serverName(parameters)
                let patch = try await AdminAPI.body(request)
                let server = try await api.manager.update(name, patch: patch, expectedRevision: try AdminAPI.expectedRevision(request), by: holder)
                return AdminReply.json(.object(server))
            }
        },
        entry(.delete, "/api/v1/servers/{name}") { api in
            { _, parameters, holder throws(AdminError) in
                try await api.manager.delete(try api.serverName(parameters), by: holder)
                return Response(status: .noContent)
            }
        },
        entry(.post, "/api/v1/servers/{name}/start") { api in
            { _, parameters, holder throws(AdminError) in AdminReply.json(.object(try await api.manager.start(try api.serverName(parameters), by: holder))) }
        },
        entry(.post, "/api/v1/servers/{name}/stop") { api in
            { _, parameters, holder throws(AdminError) in AdminReply.json(.object(try await api.manager.stop(try api.serverName(parameters), by: holder))) }
        },
        entry(.post, "/api/v1/servers/{name}/restart") { api in
            { _, parameters, holder throws(AdminError) in AdminReply.json(.object(try await api.manager.restart(try api.serverName(parameters), by: holder))) }
        },
        entry(.get, "/api/v1/servers/{name}/health") { api in
            { _, parameters, _ throws(AdminError) in
                let health = try await api.manager.health(try api.serverName(parameters))
                return AdminReply.json(.object(health.body), status: health.healthy ? .ok : .serviceUnavailable)
            }
        },
        entry(.get, "/api/v1/servers/{name}/logs") { api in
            { request, parameters, _ throws(AdminError) in
                let lines = try AdminAPI.query(request, "lines", in: 1...1_000, default: 100) ?? 100
                return AdminReply.json(.object(try api.manager.logs(try api.serverName(parameters), lines: Int(lines))))
            }
        },
        entry(.get, "/api/v1/servers/{name}/tools") { api in
            { _, parameters, _ throws(AdminError) in AdminReply.json(.object(try api.manager.tools(try api.serverName(parameters)))) }
        },
        entry(.get, "/api/v1/tools") { api in { _, _, _ throws(AdminError) in AdminReply.json(["tools": .array(api.views.tools())]) } },
        entry(.get, "/api/v1/connectors") { api in { _, _, _ throws(AdminError) in AdminReply.json(["connectors": .array(api.views.connectors())]) } },
        entry(.get, "/api/v1/sessions") { api in { _, _, _ throws(AdminError) in AdminReply.json(.object(api.views.sessions())) } },
        entry(.get, "/api/v1/activity") { api in { request, _, _ throws(AdminError) in try await api.activity(request) } },
        entry(.get, "/api/v1/apikeys") { api in { _, _, _ throws(AdminError) in try await api.listKeys() } },
        entry(.post, "/api/v1/apikeys") { api in
            { request, _, holder throws(AdminError) in
                let body = try await AdminAPI.body(request)
                for key in body.keys where key != "name" { throw .invalid(key, "unknown field; the only field is name") }
                guard let name = body["name"]?.stringValue else { throw .invalid("name", "required: a string") }
                let created = try await APIKeys.create(name: name, in: api.store)
                await api.manager.audit("apikey.create", server: "", by: holder, detail: "key \(name) (\(created.record.prefix)…)")
                var out = AdminAPI.keyView(created.record)
                out["key"] = .string(created.key)
                return AdminReply.json(.object(out), status: .created)
            }
        },
        entry(.delete, "/api/v1/apikeys/{name}") { api in
            { _, parameters, holder throws(AdminError) in
                let name = parameters.get("name") ?? ""
                let revoked = try await APIKeys.revoke(name, in: api.store)
                await api.manager.audit("apikey.revoke", server: "", by: holder, detail: "key \(revoked.name) (\(revoked.prefix)…)")
                return Response(status: .noContent)
            }
        },
        entry(.get, "/api/v1/openapi.json") { _ in
            { _, _, _ throws(AdminError) in
                var response = Response(status: .ok, body: ResponseBody(byteBuffer: .init(bytes: OpenAPIDocument.bytes)))
                response.headers[.contentType] = "application/json"
                return response
            }
        },
    ]

    func activity(_ request: Request) async throws(AdminError) -> Response {
        let limit = try Self.query(request, "limit", in: 1...500, default: 50) ?? 50
        let before = try Self.query(request, "before", in: 1...Int64.max, default: nil)
        let events: [ActivityEvent]
        do {
            events = try await store.recent(limit: Int(limit), before: before)
        } catch {
            throw .unavailable("the activity log cannot be read now")
        }
        let rows: [JSONValue] = events.map { e in
            .object([
                "id": .int(Int(e.id)), "at": ServerViews.time(e.at.milliseconds), "kind": .string(e.kind), "server": .string(e.server),
                "action": .string(e.tool), "status": .string(e.status), "subject": ServerViews.optional(e.subject),
                "duration_ms": .int(Int(e.durationMilliseconds)), "detail": ServerViews.optional(e.detail),
            ])
        }
        let next: JSONValue = events.count == Int(limit) ? events.last.map { .int(Int($0.id)) } ?? .null : .null
        return AdminReply.json(["events": .array(rows), "next_before": next])
    }

    static func keyView(_ record: APIKeyRecord) -> JSONObject {
        [
            "id": .string(record.id), "name": .string(record.name), "prefix": .string(record.prefix), "source": "store",
            "created_at": ServerViews.time(record.createdAt.milliseconds), "revoked_at": ServerViews.time(record.revokedAt?.milliseconds),
        ]
    }

    func listKeys() async throws(AdminError) -> Response {
        let records: [APIKeyRecord]
        do {
            records = try await store.listAPIKeys()
        } catch {
            throw .unavailable("the key store cannot be read now")
        }
        var keys: [JSONValue] = records.map { .object(Self.keyView($0)) }
        if self.keys.hasBootstrapKey {
            keys.insert(
                .object([
                    "id": "environment", "name": .string(APIKeys.bootstrapName), "prefix": "", "source": "environment", "created_at": .null,
                    "revoked_at": .null,
                ]), at: 0)
        }
        return AdminReply.json(["apikeys": .array(keys)])
    }
}
