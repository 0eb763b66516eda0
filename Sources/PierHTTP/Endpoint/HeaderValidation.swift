import HTTPTypes
import MCPCore
import PierServer

/// The 2026-07-28 rule that mirrored headers must agree with the body (`Mcp-Method`, `Mcp-Name`,
/// `Mcp-Param-*`), each failure a -32020.
enum HeaderValidation {
    /// Checks `Mcp-Method`, `Mcp-Name` (as the method's spec says) and, for `tools/call`, the `Mcp-Param-*` headers
    /// of the tool `lookup` finds.
    static func check(
        _ request: JSONRPCRequest, spec: MethodSpec?, headers: MCPHeaders, fields: HTTPFields, lookup: (String) -> ToolEntry?
    ) throws(MCPError) {
        guard let rawMethod = headers.method else { throw MCPError.headerMismatch("Missing Mcp-Method header") }
        guard EncodedHeaderValue.decode(rawMethod) == request.method else {
            throw MCPError.headerMismatch("Mcp-Method header does not match the body method")
        }
        guard let spec else { return }
        // Mcp-Name is required for tools, resources and prompts; for tasks it is checked when sent.
        if let expected = spec.nameValue(in: request), headers.name != nil || spec.nameRequired {
            guard let rawName = headers.name else { throw MCPError.headerMismatch("Missing Mcp-Name header") }
            guard let name = EncodedHeaderValue.decode(rawName) else { throw MCPError.headerMismatch("Mcp-Name header is not valid base64 UTF-8") }
            guard name == expected else { throw MCPError.headerMismatch("Mcp-Name header does not match the body") }
        }
        if spec.name == Method.toolsCall, let name = request.params["name"]?.stringValue, let tool = lookup(name), !tool.headerParameters.isEmpty {
            try checkParams(request, headers: fields, tool: tool)
        }
    }

    /// Checks `Mcp-Param-{Name}` for each top-level input property that declares `x-mcp-header`.
    static func checkParams(_ request: JSONRPCRequest, headers: HTTPFields, tool: ToolEntry) throws(MCPError) {
        let arguments = request.params["arguments"]?.objectValue ?? [:]
        for parameter in tool.headerParameters {
            let headerName = parameter.header
            guard let field = HTTPField.Name("Mcp-Param-\(headerName)") else { continue }
            let bodyValue = arguments[parameter.property]
            let headerValue = headers[field]
            switch (bodyValue, headerValue) {
            case (nil, nil), (.null?, nil): continue
            case (_?, nil): throw MCPError.headerMismatch("Missing Mcp-Param-\(headerName) header")
            case (nil, _?): throw MCPError.headerMismatch("Mcp-Param-\(headerName) header has no matching argument")
            case (let body?, let raw?):
                guard let text = EncodedHeaderValue.decode(raw) else { throw MCPError.headerMismatch("Mcp-Param-\(headerName) is not valid base64 UTF-8") }
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
