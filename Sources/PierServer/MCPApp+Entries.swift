import MCPCore
import Logging

/// Pier's policy for its own apps, applied where typed definitions become catalogue entries: tools must state
/// the three hints ChatGPT requires and have an object `inputSchema`; arguments are checked against that schema
/// (a failure reaches the model as an `isError` result), structured output against `outputSchema`, and a
/// ``ToolError`` becomes an `isError` result; resources with no contents read as not found; prompt arguments must
/// be strings and the required ones present. Entries from elsewhere (an upstream) carry none of this.
extension MCPApp {
    /// Everything the app serves, as entries of the source named after it.
    /// - Throws: ``RegistrationError`` for a tool that breaks the policy above.
    public func catalogEntries() throws(RegistrationError) -> CatalogEntries {
        var entries = CatalogEntries(
            resources: resources.map { $0.entry() }, templates: resourceTemplates.map { $0.entry() }, prompts: prompts.map { $0.entry() })
        for tool in tools { entries.tools.append(try tool.entry()) }
        return entries
    }

    /// `value` as a map of names to strings (prompt arguments, completion context).
    static func stringMap(_ value: JSONValue?, what: String) throws(MCPError) -> [String: String] {
        switch value {
        case nil, .null?: return [:]
        case .object(let o)?:
            var map: [String: String] = [:]
            for m in o {
                guard case .string(let s) = m.value else { throw MCPError.invalidParams("\(what) must map names to strings") }
                map[m.key] = s
            }
            return map
        default: throw MCPError.invalidParams("\(what) must be an object")
        }
    }

    /// A ``CompletionHandler`` over per-argument providers; `nil` when there are none.
    static func completer(_ providers: [String: CompletionProvider]) -> CompletionHandler? {
        guard !providers.isEmpty else { return nil }
        return { params, _ in
            let name = params["argument"]?["name"]?.stringValue ?? ""
            let value = params["argument"]?["value"]?.stringValue ?? ""
            let others = try stringMap(params["context"]?["arguments"], what: "completion context arguments")
            let all = try await providers[name]?(value, others) ?? []
            let values = Array(all.prefix(100))
            return ["completion": ["values": .array(values.map { .string($0) }), "total": .int(all.count), "hasMore": .bool(all.count > values.count)]]
        }
    }
}

extension ToolDefinition {
    /// This tool as a catalogue entry, with Pier's policy for its own tools (see ``MCPApp``).
    /// - Throws: ``RegistrationError`` naming what is missing or malformed.
    public func entry() throws(RegistrationError) -> ToolEntry {
        if let problem = registrationProblem { throw RegistrationError(message: problem) }
        let tool = self
        let validator = SchemaValidator(schema: inputSchema)
        return try ToolEntry(name: name, descriptor: descriptor) { arguments, context in
            let problems = validator.validate(.object(arguments))
            if !problems.isEmpty {
                return .result(ToolResult.error("Invalid arguments for tool \(tool.name): " + problems.joined(separator: "; ")).json)
            }
            if tool.taskSupport != .forbidden, let created = try await tool.startTask(arguments, context: context) { return .task(created) }
            var context = context
            if let prepare = tool.prepare { context = context.with(task: nil, prepared: try await prepare(arguments, context)) }
            return .result(try await tool.run(arguments, context: context))
        }
    }

    /// Starts the call as a task when the client opted in (see ``MCPServer/startTask(tool:support:context:prepare:work:)``).
    func startTask(_ arguments: JSONObject, context: MCPRequestContext) async throws -> JSONObject? {
        var prepare: (@Sendable (MCPRequestContext) async throws -> JSONValue)?
        if let preparer = self.prepare { prepare = { context in try await preparer(arguments, context) } }
        let tool = self
        return try await context.runtime.startTask(tool: name, support: taskSupport, context: context, prepare: prepare) { context in
            try await tool.run(arguments, context: context)
        }
    }

    /// Runs the handler on checked arguments: a ``ToolError`` or an unexpected error becomes an `isError` result,
    /// and structured output is checked against `outputSchema`.
    func run(_ arguments: JSONObject, context: MCPRequestContext) async throws -> JSONObject {
        let result: ToolResult
        do {
            result = try await handler(arguments, context)
        } catch let error as ToolError {
            return ToolResult.error(error.message).json
        } catch let error as MCPError {
            throw error
        } catch let needed as InputRequired {
            throw needed
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            context.logger.error("tool failed", metadata: ["tool": "\(name)", "error": "\(String(reflecting: error))"])
            return ToolResult.error("The tool \(name) failed.").json
        }
        if let outputSchema, !result.isError {
            guard let structured = result.structuredContent else {
                context.logger.error("tool returned no structuredContent despite its outputSchema", metadata: ["tool": "\(name)"])
                return ToolResult.error("The tool \(name) returned no structured output.").json
            }
            let problems = SchemaValidator(schema: outputSchema).validate(structured)
            if !problems.isEmpty {
                context.logger.error("tool output does not match its outputSchema", metadata: ["tool": "\(name)", "problems": "\(problems)"])
                return ToolResult.error("The tool \(name) returned output that does not match its output schema.").json
            }
        }
        return result.json
    }
}

extension ResourceDefinition {
    /// This resource as a catalogue entry; contents come back as `ReadResourceResult`, and none reads as not found.
    public func entry() -> ResourceEntry {
        let (uri, read) = (self.uri, self.read)
        return ResourceEntry(uri: uri, descriptor: descriptor, listed: listed) { context in
            let contents = try await read(context)
            if contents.isEmpty { throw MCPServer.resourceNotFound(uri, modern: context.client.version.isModern) }
            return ["contents": .array(contents.map(\.json))]
        }
    }
}

extension ResourceTemplateDefinition {
    /// This template as a catalogue entry, with its completions.
    public func entry() -> TemplateEntry {
        let read = self.read
        return TemplateEntry(uriTemplate: template.pattern, descriptor: descriptor, complete: MCPApp.completer(completions)) { uri, variables, context in
            let contents = try await read(uri, variables, context)
            if contents.isEmpty { throw MCPServer.resourceNotFound(uri, modern: context.client.version.isModern) }
            return ["contents": .array(contents.map(\.json))]
        }
    }
}

extension PromptDefinition {
    /// This prompt as a catalogue entry: string arguments, the required ones checked, and its completions.
    public func entry() -> PromptEntry {
        let (declared, get) = (arguments, self.get)
        return PromptEntry(name: name, descriptor: descriptor, complete: MCPApp.completer(completions)) { arguments, context in
            let given = try MCPApp.stringMap(.object(arguments), what: "prompts/get \"arguments\"")
            let missing = declared.filter { $0.required && given[$0.name] == nil }.map(\.name)
            if !missing.isEmpty { throw MCPError.invalidParams("Missing required prompt arguments: \(missing.joined(separator: ", "))") }
            return try await get(given, context).json
        }
    }
}
