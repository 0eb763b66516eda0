import MCPCore
import Synchronization

extension MCPServer {
    func listPrompts(_ params: JSONObject) throws(MCPError) -> JSONObject {
        try listPage(snapshot.promptDescriptors, key: "prompts", params: params)
    }

    func getPrompt(_ params: JSONObject, context: MCPRequestContext) async throws -> JSONObject {
        guard case .string(let name)? = params["name"] else { throw MCPError.invalidParams("prompts/get needs a string \"name\"") }
        guard let prompt = registry.withLock({ $0.prompts[name] }) else {
            throw MCPError.invalidParams("Unknown prompt: \(name)", data: ["name": .string(name)])
        }
        let arguments = try Self.stringMap(params["arguments"], what: "prompts/get \"arguments\"")
        let missing = prompt.arguments.filter { $0.required && arguments[$0.name] == nil }.map(\.name)
        if !missing.isEmpty { throw MCPError.invalidParams("Missing required prompt arguments: \(missing.joined(separator: ", "))") }
        return try await prompt.get(arguments, context).json
    }

    func complete(_ params: JSONObject) async throws -> JSONObject {
        guard let ref = params["ref"]?.objectValue, let kind = ref["type"]?.stringValue else {
            throw MCPError.invalidParams("completion/complete needs a \"ref\" with a \"type\"")
        }
        guard let argument = params["argument"]?.objectValue, let argName = argument["name"]?.stringValue else {
            throw MCPError.invalidParams("completion/complete needs an \"argument\" with a \"name\"")
        }
        let value = argument["value"]?.stringValue ?? ""
        let contextArgs = try Self.stringMap(params["context"]?["arguments"], what: "completion context arguments")
        let registry = snapshot
        let provider: CompletionProvider?
        switch kind {
        case "ref/prompt":
            guard let name = ref["name"]?.stringValue, let prompt = registry.prompts[name] else {
                throw MCPError.invalidParams("Unknown prompt in completion ref")
            }
            provider = prompt.completions[argName]
        case "ref/resource":
            guard let uri = ref["uri"]?.stringValue, let template = registry.templates.first(where: { $0.template.pattern == uri }) else {
                throw MCPError.invalidParams("Unknown resource template in completion ref")
            }
            provider = template.completions[argName]
        default:
            throw MCPError.invalidParams("Unknown completion ref type: \(kind)")
        }
        let all = try await provider?(value, contextArgs) ?? []
        let values = Array(all.prefix(100))
        return ["completion": ["values": .array(values.map { .string($0) }), "total": .int(all.count), "hasMore": .bool(all.count > values.count)]]
    }

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
}
