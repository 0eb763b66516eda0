// An upstream for the gateway tests written with the official Swift MCP SDK (0.12, handshake era only), served
// over stdio: `echo`, `add` and `whoami`. Not shipped.
import MCP

let server = Server(name: "swift-sdk-upstream", version: "0.12", capabilities: .init(tools: .init(listChanged: false)))
let text: Value = ["type": "object", "properties": ["text": ["type": "string"]], "required": ["text"]]
let numbers: Value = ["type": "object", "properties": ["a": ["type": "number"], "b": ["type": "number"]], "required": ["a", "b"]]
await server.withMethodHandler(ListTools.self) { _ in
    ListTools.Result(tools: [
        Tool(name: "echo", description: "Use this when you need text repeated back exactly.", inputSchema: text),
        Tool(name: "add", description: "Use this when you need the sum of two numbers.", inputSchema: numbers),
        Tool(name: "whoami", description: "Use this to learn which upstream answered.", inputSchema: ["type": "object"]),
    ])
}
await server.withMethodHandler(CallTool.self) { call in
    switch call.name {
    case "echo":
        return CallTool.Result(content: [.text(text: call.arguments?["text"]?.stringValue ?? "", annotations: nil, _meta: nil)])
    case "add":
        let a = call.arguments?["a"]?.doubleValue ?? Double(call.arguments?["a"]?.intValue ?? 0)
        let b = call.arguments?["b"]?.doubleValue ?? Double(call.arguments?["b"]?.intValue ?? 0)
        return CallTool.Result(content: [.text(text: "\(a + b)", annotations: nil, _meta: nil)])
    case "whoami":
        return CallTool.Result(content: [.text(text: "swift (swift-sdk)", annotations: nil, _meta: nil)])
    default:
        return CallTool.Result(content: [.text(text: "unknown tool \(call.name)", annotations: nil, _meta: nil)], isError: true)
    }
}
try await server.start(transport: StdioTransport())
await server.waitUntilCompleted()
