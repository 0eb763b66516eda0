import MCPCore

extension MCPServer {
    func listResources(_ params: JSONObject) throws(MCPError) -> JSONObject {
        let page = try Pagination.page(snapshot.resourceDescriptors, cursor: params["cursor"], pageSize: configuration.pageSize)
        var o: JSONObject = ["resources": .array(page.items)]
        if let next = page.next { o["nextCursor"] = .string(next) }
        return o
    }

    func listResourceTemplates(_ params: JSONObject) throws(MCPError) -> JSONObject {
        let page = try Pagination.page(snapshot.templateDescriptors, cursor: params["cursor"], pageSize: configuration.pageSize)
        var o: JSONObject = ["resourceTemplates": .array(page.items)]
        if let next = page.next { o["nextCursor"] = .string(next) }
        return o
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
