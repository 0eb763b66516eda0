import Hummingbird
import NIOCore

// The framework's ceiling for `Benchmarks/tools_call.sh`: a Hummingbird 2 route that does what every MCP server on
// Hummingbird must do at least (collect the POST body) and answers a constant JSON-RPC result, with none of the MCP
// work. Pier's calls/s divided by this one's is the share of the framework's throughput Pier keeps.
// usage: CeilingServer PORT   (listens on 127.0.0.1 only)

let port = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 18082 : 18082
let reply = ByteBuffer(string: #"{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"x"}]}}"#)

let router = Router()
router.post("/mcp") { request, _ -> Response in
    _ = try await request.body.collect(upTo: 4 * 1024 * 1024)
    return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: reply))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
