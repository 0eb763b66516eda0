import Hummingbird
import HummingbirdTesting
import HTTPTypes
import MCPCore
import NIOCore
import PierHTTP
import PierServer
import Testing

/// Two endpoints, one server: `/mcp` shows everything, `/connectors/readonly/mcp` only read-only tools.
@Suite struct ViewEndpointTests {
    static func app() throws -> some ApplicationProtocol {
        var app = MCPApp(name: "notes")
        app.tool("read_notes", description: "Reads.", annotations: .readOnly) { _ in .text("notes") }
        app.tool("delete_notes", description: "Deletes.", annotations: ToolAnnotations(readOnlyHint: false, destructiveHint: true, openWorldHint: false)) { _ in
            .text("deleted")
        }
        let server = try MCPServer(info: Implementation(name: "t", version: "0"), apps: [app])
        var http = MCPHTTPConfiguration()
        http.watchDisconnects = false
        var readonly = http
        readonly.endpointPath = "/connectors/readonly/mcp"
        let router = Router(context: PierRequestContext.self)
        MCPEndpoint(server: server, configuration: http).addRoutes(to: router)
        MCPEndpoint(server: server, view: .readOnly, configuration: readonly).addRoutes(to: router)
        return Application(router: router)
    }

    static func body(_ method: String, _ params: String = "") -> ByteBuffer {
        let meta = #""_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}"#
        return ByteBuffer(string: #"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":{\#(params.isEmpty ? "" : params + ",")\#(meta)}}"#)
    }

    static func json(_ buffer: ByteBuffer) -> JSONValue { (try? JSONValue(parsing: Array(buffer.readableBytesView))) ?? .null }

    @Test func eachEndpointServesItsViewOfOneServer() async throws {
        try await Self.app().test(.router) { client in
            for (path, expected) in [("/mcp", ["delete_notes", "read_notes"]), ("/connectors/readonly/mcp", ["read_notes"])] {
                try await client.execute(uri: path, method: .post, headers: modernHeaders("tools/list"), body: Self.body("tools/list")) { r in
                    #expect(r.status == .ok)
                    #expect(Self.json(r.body)["result"]?["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == expected)
                }
            }
            let call = Self.body("tools/call", #""name":"delete_notes","arguments":{}"#)
            try await client.execute(uri: "/connectors/readonly/mcp", method: .post, headers: modernHeaders("tools/call", name: "delete_notes"), body: call) { r in
                #expect(r.status == .badRequest)
                #expect(Self.json(r.body)["error"]?["message"] == "Unknown tool: delete_notes")
            }
            try await client.execute(uri: "/mcp", method: .post, headers: modernHeaders("tools/call", name: "delete_notes"), body: call) { r in
                #expect(Self.json(r.body)["result"]?["content"]?.arrayValue?.first?["text"] == "deleted")
            }
        }
    }
}
