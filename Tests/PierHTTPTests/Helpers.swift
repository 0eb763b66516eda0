import HTTPTypes
import MCPCore
@testable import PierHTTP
import PierServer

enum ToolDefinitionFactory {
    static func tool(schema: JSONValue) -> ToolEntry {
        try! ToolEntry(name: "t", descriptor: ["inputSchema": schema]) { _, _ in .result(["content": []]) }
    }
}

enum HeaderCheck {
    static func run(_ request: JSONRPCRequest, _ headers: HTTPFields, _ tool: ToolEntry) throws(MCPError) {
        try HeaderValidation.check(request, spec: MethodSpec.named(request.method), headers: MCPHeaders(headers), fields: headers) {
            $0 == tool.name ? tool : nil
        }
    }
}

/// The headers a 2026-07-28 client sends with a request.
func modernHeaders(_ method: String, name: String? = nil) -> HTTPFields {
    var h: HTTPFields = [.contentType: "application/json", .accept: "application/json, text/event-stream"]
    h[HTTPField.Name("MCP-Protocol-Version")!] = "2026-07-28"
    h[HTTPField.Name("Mcp-Method")!] = method
    if let name { h[HTTPField.Name("Mcp-Name")!] = name }
    return h
}
