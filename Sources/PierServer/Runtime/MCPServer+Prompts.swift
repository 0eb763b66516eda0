import MCPCore
import PierSync

extension MCPServer {
    func listPrompts(_ params: JSONObject, context: MCPRequestContext) throws(MCPError) -> JSONObject {
        let view = context.view
        let items = catalog.withLock { c in
            view.isEverything ? c.promptDescriptors : c.promptList.lazy.filter { view.admits(source: $0.source) }.map(\.descriptorValue)
        }
        return try listPage(items, key: "prompts", params: params)
    }

    func getPrompt(_ params: JSONObject, context: MCPRequestContext) async throws -> JSONObject {
        guard case .string(let name)? = params["name"] else { throw MCPError.invalidParams("prompts/get needs a string \"name\"") }
        guard let prompt = catalog.withLock({ $0.prompts[name] }), context.view.admits(source: prompt.source) else {
            throw MCPError.invalidParams("Unknown prompt: \(name)", data: ["name": .string(name)])
        }
        let arguments: JSONObject
        switch params["arguments"] {
        case nil, .null?: arguments = [:]
        case .object(let a)?: arguments = a
        default: throw MCPError.invalidParams("prompts/get \"arguments\" must be an object")
        }
        return try await prompt.get(arguments, context)
    }

    /// `completion/complete`, answered by the prompt or template the `ref` names; one that offers no completion
    /// answers with no values.
    func complete(_ params: JSONObject, context: MCPRequestContext) async throws -> JSONObject {
        guard let ref = params["ref"]?.objectValue, let kind = ref["type"]?.stringValue else {
            throw MCPError.invalidParams("completion/complete needs a \"ref\" with a \"type\"")
        }
        guard params["argument"]?["name"]?.stringValue != nil else {
            throw MCPError.invalidParams("completion/complete needs an \"argument\" with a \"name\"")
        }
        let view = context.view
        let handler: CompletionHandler?
        switch kind {
        case "ref/prompt":
            let name = ref["name"]?.stringValue
            guard let prompt = catalog.withLock({ c in name.flatMap { c.prompts[$0] } }), view.admits(source: prompt.source) else {
                throw MCPError.invalidParams("Unknown prompt in completion ref")
            }
            handler = prompt.complete
        case "ref/resource":
            let uri = ref["uri"]?.stringValue
            guard let template = catalog.withLock({ c in c.templates.first { $0.template.pattern == uri } }), view.admits(source: template.source) else {
                throw MCPError.invalidParams("Unknown resource template in completion ref")
            }
            handler = template.complete
        default:
            throw MCPError.invalidParams("Unknown completion ref type: \(kind)")
        }
        guard let handler else { return ["completion": ["values": [], "total": 0, "hasMore": false]] }
        return try await handler(params, context)
    }
}
