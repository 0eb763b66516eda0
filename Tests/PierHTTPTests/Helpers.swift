import HTTPTypes
import MCPCore
@testable import PierHTTP
import PierServer

enum ToolDefinitionFactory {
    static func tool(schema: JSONValue) -> ToolDefinition {
        ToolDefinition(name: "t", inputSchema: schema) { _, _ in .text("ok") }
    }
}

enum HeaderCheck {
    static func run(_ request: JSONRPCRequest, _ headers: HTTPFields, _ tool: ToolDefinition) throws(MCPError) {
        try HeaderValidation.check(request, headers: headers, tool: tool)
    }
}
