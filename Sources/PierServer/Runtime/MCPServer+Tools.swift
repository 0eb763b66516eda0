import MCPCore
import Synchronization
import Logging

extension MCPServer {
    func listTools(_ params: JSONObject) throws(MCPError) -> JSONObject {
        try listPage(snapshot.toolDescriptors, key: "tools", params: params)
    }

    /// The definition of tool `name`, for transports that check `Mcp-Param-*` headers against its schema.
    public func tool(named name: String) -> ToolDefinition? { registry.withLock { $0.tools[name] } }

    /// Every tool registered now, sorted by name.
    public var tools: [ToolDefinition] {
        let r = snapshot
        return r.toolOrder.compactMap { r.tools[$0] }
    }

    func callTool(_ params: JSONObject, context: MCPRequestContext) async throws -> JSONObject {
        guard case .string(let name)? = params["name"] else { throw MCPError.invalidParams("tools/call needs a string \"name\"") }
        guard let tool = tool(named: name) else {
            throw MCPError.invalidParams("Unknown tool: \(name)", data: ["name": .string(name)])
        }
        let arguments: JSONObject
        switch params["arguments"] {
        case nil, .null?: arguments = [:]
        case .object(let a)?: arguments = a
        default: throw MCPError.invalidParams("tools/call \"arguments\" must be an object")
        }
        let problems = SchemaValidator(schema: tool.inputSchema).validate(.object(arguments))
        if !problems.isEmpty {
            return ToolResult.error("Invalid arguments for tool \(name): " + problems.joined(separator: "; ")).json
        }
        let started = ContinuousClock.now
        if tool.taskSupport != .forbidden, let created = try await startTask(tool, arguments: arguments, context: context) { return created }
        var context = context
        if let prepare = tool.prepare { context = context.with(task: nil, prepared: try await prepare(arguments, context)) }
        let result = try await run(tool, arguments: arguments, context: context)
        journal.record(tool: name, failed: result["isError"] == true, duration: ContinuousClock.now - started)
        return result
    }

    /// Runs a tool's handler on checked arguments; tool errors become `isError` results, and structured output is
    /// checked against the tool's `outputSchema`.
    func run(_ tool: ToolDefinition, arguments: JSONObject, context: MCPRequestContext) async throws -> JSONObject {
        let name = tool.name
        let result: ToolResult
        do {
            result = try await tool.handler(arguments, context)
        } catch let error as ToolError {
            return ToolResult.error(error.message).json
        } catch let error as MCPError {
            throw error
        } catch let needed as InputRequired {
            throw needed
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            logger.error("tool failed", metadata: ["tool": "\(name)", "error": "\(String(reflecting: error))"])
            return ToolResult.error("The tool \(name) failed.").json
        }
        if let outputSchema = tool.outputSchema, !result.isError {
            guard let structured = result.structuredContent else {
                logger.error("tool returned no structuredContent despite its outputSchema", metadata: ["tool": "\(name)"])
                return ToolResult.error("The tool \(name) returned no structured output.").json
            }
            let outputProblems = SchemaValidator(schema: outputSchema).validate(structured)
            if !outputProblems.isEmpty {
                logger.error("tool output does not match its outputSchema", metadata: ["tool": "\(name)", "problems": "\(outputProblems)"])
                return ToolResult.error("The tool \(name) returned output that does not match its output schema.").json
            }
        }
        return result.json
    }
}
