import MCPCore
import PierSync

extension MCPServer {
    func listTools(_ params: JSONObject, context: MCPRequestContext) throws(MCPError) -> JSONObject {
        let view = context.view
        let items = toolDescriptors(in: view, principal: context.client.principal)
        // The first page is where a client starts fetching the list: note which list it got (the array is shared,
        // not copied; its fingerprint is taken only when an operator looks).
        if params["cursor"] == nil { toolListCopies.record(client: context.client.info, view: view.name, items: items) }
        return try listPage(items, key: "tools", params: params)
    }

    /// The descriptors `view` lists for `principal`, in list order.
    func toolDescriptors(in view: CatalogView, principal: Principal?) -> [JSONValue] {
        catalog.withLock { c in
            view.isEverything ? c.toolDescriptors : c.toolList.filter { view.admits($0, principal: principal) }.map { view.present($0).descriptorValue }
        }
    }

    /// Tool `name` as seen through `view` by `principal`; `nil` when there is none or the view hides it.
    public func tool(named name: String, in view: CatalogView = .everything, principal: Principal? = nil) -> ToolEntry? {
        guard let underlying = view.catalogName(of: name), let entry = catalog.withLock({ $0.tools[underlying] }), view.admits(entry, principal: principal)
        else { return nil }
        return view.present(entry)
    }

    /// Every tool registered now, in list order.
    public var tools: [ToolEntry] { catalog.withLock { $0.toolList } }

    /// The tools `view` shows `principal` now, in list order.
    public func tools(in view: CatalogView, principal: Principal? = nil) -> [ToolEntry] {
        catalog.withLock { $0.tools(in: view, principal: principal) }
    }

    /// `tools/call`: look the tool up in the caller's view, call it, and count the call.
    func callTool(_ params: JSONObject, context: MCPRequestContext) async throws -> JSONObject {
        guard case .string(let name)? = params["name"] else { throw MCPError.invalidParams("tools/call needs a string \"name\"") }
        guard let tool = tool(named: name, in: context.view, principal: context.client.principal) else {
            throw MCPError.invalidParams("Unknown tool: \(name)", data: ["name": .string(name)])
        }
        let arguments: JSONObject
        switch params["arguments"] {
        case nil, .null?: arguments = [:]
        case .object(let a)?: arguments = a
        default: throw MCPError.invalidParams("tools/call \"arguments\" must be an object")
        }
        let started = ContinuousClock.now
        switch try await tool.call(arguments, context) {
        case .result(let result):
            journal.record(
                tool: name, source: tool.source, subject: context.client.principal?.subject, failed: result["isError"] == true,
                duration: ContinuousClock.now - started)
            return result
        case .task(let created):
            // A task is counted when it finishes.
            return created
        }
    }
}
