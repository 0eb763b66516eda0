import MCPCore

extension MCPServer {
    func listResources(_ params: JSONObject) throws(MCPError) -> JSONObject {
        try listPage(snapshot.resourceDescriptors, key: "resources", params: params)
    }

    func listResourceTemplates(_ params: JSONObject) throws(MCPError) -> JSONObject {
        try listPage(snapshot.templateDescriptors, key: "resourceTemplates", params: params)
    }

    func readResource(_ params: JSONObject, context: MCPRequestContext) async throws -> JSONObject {
        guard case .string(let uri)? = params["uri"] else { throw MCPError.invalidParams("resources/read needs a string \"uri\"") }
        let registry = snapshot
        let contents: [ResourceContents]
        if let resource = registry.resources[uri] {
            contents = try await resource.read(context)
        } else if let (template, variables) = registry.templates.lazy.compactMap({ t in t.template.match(uri).map { (t, $0) } }).first {
            contents = try await template.read(uri, variables, context)
        } else {
            throw notFound(uri, modern: context.client.version.isModern)
        }
        if contents.isEmpty { throw notFound(uri, modern: context.client.version.isModern) }
        return ["contents": .array(contents.map(\.json))]
    }

    /// Resource-not-found: -32002 for legacy clients, -32602 for 2026-07-28 (SEP-2164), with `data.uri`.
    func notFound(_ uri: String, modern: Bool) -> MCPError {
        MCPError(code: modern ? ErrorCode.invalidParams : ErrorCode.resourceNotFound, message: "Resource not found", data: ["uri": .string(uri)])
    }
}
