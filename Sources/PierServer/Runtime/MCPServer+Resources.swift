public import MCPCore
import PierSync

extension MCPServer {
    func listResources(_ params: JSONObject, context: MCPRequestContext) throws(MCPError) -> JSONObject {
        let view = context.view
        let items = catalog.withLock { c in
            view.isEverything ? c.resourceDescriptors : c.resourceList.lazy.filter { view.admits(source: $0.source) }.map(\.descriptorValue)
        }
        return try listPage(items, key: "resources", params: params)
    }

    func listResourceTemplates(_ params: JSONObject, context: MCPRequestContext) throws(MCPError) -> JSONObject {
        let view = context.view
        let items = catalog.withLock { c in
            view.isEverything ? c.templateDescriptors : c.templates.lazy.filter { view.admits(source: $0.source) }.map(\.descriptorValue)
        }
        return try listPage(items, key: "resourceTemplates", params: params)
    }

    /// `resources/read`: the resource with that URI, else the first template (in list order) that matches it.
    func readResource(_ params: JSONObject, context: MCPRequestContext) async throws -> JSONObject {
        guard case .string(let uri)? = params["uri"] else { throw MCPError.invalidParams("resources/read needs a string \"uri\"") }
        let view = context.view
        let (resource, template) = catalog.withLock { c -> (ResourceEntry?, (TemplateEntry, [String: String])?) in
            if let r = c.resources[uri], view.admits(source: r.source) { return (r, nil) }
            return (nil, c.template(matching: uri, in: view))
        }
        if let resource { return try await resource.read(context) }
        if let (template, variables) = template { return try await template.read(uri, variables, context) }
        throw Self.resourceNotFound(uri, modern: context.client.version.isModern)
    }

    /// Resource-not-found: -32002 for handshake-era clients, -32602 for 2026-07-28 (SEP-2164), with `data.uri`.
    public static func resourceNotFound(_ uri: String, modern: Bool) -> MCPError {
        MCPError(code: modern ? ErrorCode.invalidParams : ErrorCode.resourceNotFound, message: "Resource not found", data: ["uri": .string(uri)])
    }
}
