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
