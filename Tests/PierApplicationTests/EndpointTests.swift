import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Logging
import MCPCore
import PierApplication
import PierApps
import PierHTTP
import PierStore
import Testing
import NIOCore

/// Router-level tests: the whole HTTP stack without a socket.
@Suite struct EndpointTests {
    static let meta = #""_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}"#

    func makeApp(_ tweak: (inout MCPHTTPConfiguration) -> Void = { _ in }) throws -> some ApplicationProtocol {
        var config = PierConfiguration()
        config.apps = ["demo", "conformance"]
        var http = config.httpConfiguration
        http.watchDisconnects = false
        http.maxBodyBytes = 64 * 1024
        tweak(&http)
        let logger = Logger(label: "test")
        let endpoint = MCPEndpoint(server: try buildServer(config, store: MemoryStore(), logger: logger).server, configuration: http, logger: logger)
        return Application(router: try buildRouter(endpoint: endpoint), logger: logger)
    }

    func modernHeaders(_ method: String, name: String? = nil) -> HTTPFields {
        var h: HTTPFields = [.contentType: "application/json", .accept: "application/json, text/event-stream"]
        h[HTTPField.Name("MCP-Protocol-Version")!] = "2026-07-28"
        h[HTTPField.Name("Mcp-Method")!] = method
        if let name { h[HTTPField.Name("Mcp-Name")!] = name }
        return h
    }

    func json(_ buffer: ByteBuffer) -> JSONValue { (try? JSONValue(parsing: Array(buffer.readableBytesView))) ?? .null }

    @Test func modernToolCall() async throws {
        try await makeApp().test(.router) { client in
            let body = #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"},\#(Self.meta)}}"#
            try await client.execute(uri: "/mcp", method: .post, headers: modernHeaders("tools/call", name: "echo"), body: ByteBuffer(string: body)) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == "application/json")
                #expect(r.headers[HTTPField.Name("Mcp-Session-Id")!] == nil)
                let reply = json(r.body)
                #expect(reply["result"]?["content"]?.arrayValue?.first?["text"] == "hi")
            }
        }
    }

    @Test func headerMismatchIs400() async throws {
        try await makeApp().test(.router) { client in
            let body = #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"},\#(Self.meta)}}"#
            try await client.execute(uri: "/mcp", method: .post, headers: modernHeaders("tools/call"), body: ByteBuffer(string: body)) { r in
                #expect(r.status == .badRequest)
                #expect(json(r.body)["error"]?["code"]?.intValue == -32020)
            }
        }
    }

    @Test func modernGetIs405AndForeignOriginIs403() async throws {
        try await makeApp().test(.router) { client in
            var h = HTTPFields()
            h[HTTPField.Name("MCP-Protocol-Version")!] = "2026-07-28"
            try await client.execute(uri: "/mcp", method: .get, headers: h) { r in #expect(r.status == .methodNotAllowed) }
            var o = modernHeaders("tools/list")
            o[.origin] = "https://evil.example"
            try await client.execute(uri: "/mcp", method: .post, headers: o, body: ByteBuffer(string: "{}")) { r in #expect(r.status == .forbidden) }
        }
    }

    @Test func oversizedBodyIs413() async throws {
        try await makeApp().test(.router) { client in
            let big = ByteBuffer(repeating: UInt8(ascii: "x"), count: 100 * 1024)
            try await client.execute(uri: "/mcp", method: .post, headers: modernHeaders("tools/list"), body: big) { r in
                #expect(r.status == .contentTooLarge)
            }
        }
    }

    @Test func legacySessionLifecycle() async throws {
        try await makeApp().test(.router) { client in
            let initBody = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#
            let base: HTTPFields = [.contentType: "application/json", .accept: "application/json, text/event-stream"]
            let sid = try await client.execute(uri: "/mcp", method: .post, headers: base, body: ByteBuffer(string: initBody)) { r in
                #expect(json(r.body)["result"]?["protocolVersion"] == "2025-06-18")
                return r.headers[HTTPField.Name("Mcp-Session-Id")!]
            }
            let id = try #require(sid)
            var withSession = base
            withSession[HTTPField.Name("Mcp-Session-Id")!] = id
            try await client.execute(uri: "/mcp", method: .delete, headers: withSession) { r in #expect(r.status == .noContent) }
            let list = #"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#
            try await client.execute(uri: "/mcp", method: .post, headers: withSession, body: ByteBuffer(string: list)) { r in
                #expect(r.status == .notFound)
            }
            // The same request without the ended id is served: sessions are never required.
            try await client.execute(uri: "/mcp", method: .post, headers: base, body: ByteBuffer(string: list)) { r in
                #expect(r.status == .ok)
                #expect(json(r.body)["result"]?["tools"]?.arrayValue?.isEmpty == false)
            }
        }
    }

    @Test func corsPreflightAndExposedHeaders() async throws {
        try await makeApp { $0.corsOrigins = ["https://app.example"] }.test(.router) { client in
            let pre: HTTPFields = [.origin: "https://app.example", .accessControlRequestMethod: "POST"]
            try await client.execute(uri: "/mcp", method: .options, headers: pre) { r in
                #expect(r.status == .noContent)
                #expect(r.headers[.accessControlAllowOrigin] == "https://app.example")
                #expect(r.headers[.accessControlExposeHeaders]?.contains("Mcp-Session-Id") == true)
            }
        }
    }

    @Test func hostAllowlist() async throws {
        try await makeApp { $0.allowedHosts = ["pier.example"] }.test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { r in #expect(r.status == .misdirectedRequest) }
        }
    }
}
