import HTTPTypes
import MCPCore
import PierServer
import Testing

/// The 2026-07-28 rule that mirrored headers agree with the body.
@Suite struct HeaderValidationTests {
    @Test func mcpParamHeadersAreChecked() async throws {
        // A tool whose input declares x-mcp-header must see the mirrored header.
        let schema = try JSONValue(parsing: #"{"type":"object","properties":{"region":{"type":"string","x-mcp-header":"Region"}}}"#)
        let tool = ToolDefinitionFactory.tool(schema: schema)
        let headers = { (value: String?) -> HTTPFields in
            var h = modernHeaders("tools/call", name: "t")
            if let value { h[HTTPField.Name("Mcp-Param-Region")!] = value }
            return h
        }
        let request = JSONRPCRequest(id: .int(1), method: "tools/call", params: ["name": "t", "arguments": ["region": "eu"]])
        #expect(throws: Never.self) { try HeaderCheck.run(request, headers("eu"), tool) }
        #expect(throws: MCPError.self) { try HeaderCheck.run(request, headers(nil), tool) }
        #expect(throws: MCPError.self) { try HeaderCheck.run(request, headers("us"), tool) }
        #expect(throws: Never.self) { try HeaderCheck.run(request, headers("=?base64?ZXU=?="), tool) }
    }
}
