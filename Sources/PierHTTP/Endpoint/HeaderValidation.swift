import HTTPTypes
import MCPCore
import PierServer
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The 2026-07-28 rule that mirrored headers must agree with the body (`Mcp-Method`, `Mcp-Name`,
/// `Mcp-Param-*`), each failure a -32020.
enum HeaderValidation {
    /// Decodes `=?base64?…?=` values; other values are returned as they are.
    static func decode(_ value: String) -> String? {
        guard value.hasPrefix("=?base64?"), value.hasSuffix("?=") else { return value }
        let payload = value.dropFirst(9).dropLast(2)
        guard let data = Data(base64Encoded: String(payload)) else { return nil }
        return String(data: data, encoding: .utf8)
    }

    /// The body value `Mcp-Name` must mirror, for the methods that have one.
    static func nameValue(of request: JSONRPCRequest) -> String? {
        switch request.method {
        case Method.toolsCall, Method.promptsGet: request.params["name"]?.stringValue
        case Method.resourcesRead: request.params["uri"]?.stringValue
        case TasksExtension.get, TasksExtension.update, TasksExtension.cancel: request.params["taskId"]?.stringValue
        default: nil
        }
    }

    static func check(_ request: JSONRPCRequest, headers: HTTPFields, tool: ToolDefinition?) throws(MCPError) {
        guard let rawMethod = headers[.mcpMethod] else { throw MCPError.headerMismatch("Missing Mcp-Method header") }
        guard decode(rawMethod) == request.method else {
            throw MCPError.headerMismatch("Mcp-Method header does not match the body method")
        }
        // Mcp-Name is required for tools, resources and prompts; for tasks it is checked when sent.
        let optionalName = TasksExtension.methods.contains(request.method)
        if let expected = nameValue(of: request), headers[.mcpName] != nil || !optionalName {
            guard let rawName = headers[.mcpName] else { throw MCPError.headerMismatch("Missing Mcp-Name header") }
            guard let name = decode(rawName) else { throw MCPError.headerMismatch("Mcp-Name header is not valid base64 UTF-8") }
            guard name == expected else { throw MCPError.headerMismatch("Mcp-Name header does not match the body") }
        }
        if let tool { try checkParams(request, headers: headers, tool: tool) }
    }

    /// Checks `Mcp-Param-{Name}` for each top-level input property that declares `x-mcp-header`.
    static func checkParams(_ request: JSONRPCRequest, headers: HTTPFields, tool: ToolDefinition) throws(MCPError) {
        guard let properties = tool.inputSchema["properties"]?.objectValue else { return }
        let arguments = request.params["arguments"]?.objectValue ?? [:]
        for property in properties {
            guard let headerName = property.value["x-mcp-header"]?.stringValue,
                let field = HTTPField.Name("Mcp-Param-\(headerName)")
            else { continue }
            let bodyValue = arguments[property.key]
            let headerValue = headers[field]
            switch (bodyValue, headerValue) {
            case (nil, nil), (.null?, nil): continue
            case (_?, nil): throw MCPError.headerMismatch("Missing Mcp-Param-\(headerName) header")
            case (nil, _?): throw MCPError.headerMismatch("Mcp-Param-\(headerName) header has no matching argument")
            case (let body?, let raw?):
                guard let text = decode(raw) else { throw MCPError.headerMismatch("Mcp-Param-\(headerName) is not valid base64 UTF-8") }
                let matches: Bool
                switch body {
                case .string(let s): matches = s == text
                case .bool(let b): matches = (b ? "true" : "false") == text
                case .number(let n): matches = n.intValue != nil && n.intValue == Int(text)
                default: matches = false
                }
                if !matches { throw MCPError.headerMismatch("Mcp-Param-\(headerName) header does not match the argument") }
            }
        }
    }
}
