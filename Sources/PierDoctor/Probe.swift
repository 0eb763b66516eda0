import AsyncHTTPClient
import Foundation
import MCPCore
import NIOCore
import NIOHTTP1
import NIOSSL

/// The doctor's HTTP client: one request at a time, each with a deadline, bodies capped, and the time each took.
struct Probe {
    struct Answer {
        let status: Int
        let headers: HTTPHeaders
        let body: [UInt8]
        let elapsed: Duration

        func header(_ name: String) -> String? { headers.first(name: name) }
        var text: String { String(decoding: body, as: UTF8.self) }

        /// The JSON-RPC message in the body: JSON, or the last `data:` of an SSE stream that is a response.
        var message: JSONValue? {
            if header("Content-Type")?.lowercased().hasPrefix("text/event-stream") == true {
                var found: JSONValue?
                for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("data:") {
                    if let value = try? JSONValue(parsing: Array(line.dropFirst(5).utf8)), value["id"] != nil { found = value }
                }
                return found
            }
            return try? JSONValue(parsing: body)
        }
    }

    /// Why a request got no answer at all.
    struct Failure: Error {
        let message: String
        let isTLS: Bool
    }

    let client: HTTPClient
    let timeout: TimeAmount = .seconds(15)
    static let limit = 8 * 1024 * 1024

    init(caFile: String?) throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile { tls.trustRoots = .file(caFile) }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls, redirectConfiguration: .disallow)
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(15))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func shutdown() async { try? await client.shutdown() }

    func send(_ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: [UInt8]? = nil) async throws(Failure) -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let started = ContinuousClock.now
        do {
            let response = try await client.execute(request, timeout: timeout)
            let collected = try await response.body.collect(upTo: Self.limit)
            return Answer(status: Int(response.status.code), headers: response.headers, body: Array(collected.readableBytesView), elapsed: ContinuousClock.now - started)
        } catch {
            let text = String(describing: error)
            let tls = error is NIOSSLError || text.contains("SSL") || text.contains("certificate") || text.contains("handshake")
            throw Failure(message: tls ? "TLS: \(text)" : text, isTLS: tls)
        }
    }

    /// A JSON-RPC request to an MCP endpoint, with the headers its era wants.
    func rpc(_ url: String, _ method: String, params: JSONObject = [:], id: Int = 1, modern: Bool, session: String? = nil, extra: [(String, String)] = [])
        async throws(Failure) -> Answer
    {
        var params = params
        var headers: [(String, String)] = [("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream")]
        if modern {
            var meta = params["_meta"]?.objectValue ?? [:]
            meta["io.modelcontextprotocol/protocolVersion"] = "2026-07-28"
            meta["io.modelcontextprotocol/clientCapabilities"] = [:]
            meta["io.modelcontextprotocol/clientInfo"] = ["name": "pier-doctor", "version": "1"]
            params["_meta"] = .object(meta)
            headers.append(("MCP-Protocol-Version", "2026-07-28"))
            headers.append(("Mcp-Method", method))
            if method == "tools/call" || method == "prompts/get", let name = params["name"]?.stringValue { headers.append(("Mcp-Name", name)) }
            if method == "resources/read", let uri = params["uri"]?.stringValue { headers.append(("Mcp-Name", uri)) }
        } else if method != "initialize" {
            headers.append(("MCP-Protocol-Version", "2025-11-25"))
        }
        if let session { headers.append(("Mcp-Session-Id", session)) }
        headers.append(contentsOf: extra)
        let body = JSONValue.object(["jsonrpc": "2.0", "id": .int(id), "method": .string(method), "params": .object(params)]).serialized()
        return try await send(.POST, url, headers: headers, body: body)
    }
}
