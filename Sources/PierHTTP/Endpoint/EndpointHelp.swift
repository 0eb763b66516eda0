import Hummingbird
import NIOCore

/// The answer to a plain `GET` of an MCP endpoint (a browser, or the bare `curl` every guide says to try first):
/// `405` with `Allow`, as MCP requires, and a short text saying what the endpoint is and how to connect.
enum EndpointHelp {
    static func response(for request: Request, configuration: MCPHTTPConfiguration) -> Response {
        let base = configuration.publicBaseURL ?? request.head.authority.map { "http://" + $0 } ?? ""
        let url = base + configuration.endpointPath
        let text = """
            This is an MCP endpoint of Pier: \(url)

            MCP clients talk to it with POST requests carrying JSON-RPC (Streamable HTTP); a GET asking for
            text/event-stream opens the 2024-11-05 HTTP+SSE transport. A plain GET has nothing to show, hence 405.

            To use it:
              - in ChatGPT, add \(url) as a connector (ChatGPT needs it on a public https URL);
              - in a browser, open \(base)/playground to list and call the tools;
              - from a shell:
                curl -s \(url) -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \\
                  -H 'MCP-Protocol-Version: 2026-07-28' -H 'Mcp-Method: server/discover' \\
                  -d '{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}'

            """
        return Response(
            status: .methodNotAllowed, headers: [.allow: "POST, DELETE", .contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
