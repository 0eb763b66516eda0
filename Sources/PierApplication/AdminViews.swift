import MCPCore
import PierAdminAPI
import PierGateway
import PierHTTP
import PierServer

/// What the admin API shows of the catalogue, the endpoints and their clients.
enum AdminViews {
    static func make(server: MCPServer, endpoints: [MCPEndpoint], publicBaseURL: String) -> AdminAPI.Views {
        AdminAPI.Views(
            tools: { tools(server) }, connectors: { endpoints.map { connector($0, publicBaseURL: publicBaseURL) } },
            sessions: { sessions(server: server, endpoints: endpoints) })
    }

    /// Every tool in the merged catalogue, with the app or upstream that owns it.
    static func tools(_ server: MCPServer) -> [JSONValue] {
        server.tools(in: .everything).map { tool in
            let upstream = tool.source.hasPrefix(UpstreamSpec.sourcePrefix)
            return .object([
                "name": .string(tool.name), "title": tool.descriptor["title"] ?? tool.descriptor["annotations"]?["title"] ?? .null,
                "description": tool.descriptor["description"] ?? .null,
                "owner": .string(upstream ? String(tool.source.dropFirst(UpstreamSpec.sourcePrefix.count)) : tool.source),
                "owner_kind": .string(upstream ? "upstream" : "app"),
                "read_only": .bool(tool.descriptor["annotations"]?["readOnlyHint"] == true),
            ])
        }
    }

    static func connector(_ endpoint: MCPEndpoint, publicBaseURL: String) -> JSONValue {
        let tools = endpoint.server.tools(in: endpoint.view)
        let path = endpoint.configuration.endpointPath
        return .object([
            "name": .string(path == "/mcp" ? "main" : endpoint.view.name), "path": .string(path), "url": .string(publicBaseURL + path),
            "read_only": .bool(endpoint.view.readOnly), "tools": .int(tools.count), "tool_names": .array(tools.map { .string($0.name) }),
        ])
    }

    static func sessions(server: MCPServer, endpoints: [MCPEndpoint]) -> JSONObject {
        let open: [JSONValue] = endpoints.flatMap(\.openSessions).map { s in
            .object([
                "id": .string(s.id), "transport": .string(s.transport), "endpoint": .string(s.endpoint),
                "protocol_version": s.protocolVersion.map(JSONValue.string) ?? .null, "client_name": s.clientName.map(JSONValue.string) ?? .null,
                "client_version": s.clientVersion.map(JSONValue.string) ?? .null, "idle_seconds": .double((s.idleSeconds * 10).rounded() / 10),
            ])
        }
        let clients: [JSONValue] = server.recentClients.all.map { c in
            .object([
                "client_name": .string(c.name), "client_version": c.version.map(JSONValue.string) ?? .null, "protocol_version": .string(c.protocolVersion),
                "endpoint": .string(c.endpoint), "first_seen": .string(ISOTime.string(milliseconds: c.firstSeen)), "last_seen": .string(ISOTime.string(milliseconds: c.lastSeen)),
                "requests": .int(c.requests),
            ])
        }
        return ["sessions": .array(open), "clients": .array(clients)]
    }
}
