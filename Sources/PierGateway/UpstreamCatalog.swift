import Logging
import MCPClient
import MCPCore
import PierServer

/// An upstream's lists, as read from it.
struct UpstreamLists: Sendable, Equatable {
    var tools: [JSONObject] = []
    var resources: [JSONObject] = []
    var templates: [JSONObject] = []
    var prompts: [JSONObject] = []

    /// Reads every list the upstream offers.
    static func read(from session: ClientSession, negotiated: Negotiated, timeout: Duration) async throws -> UpstreamLists {
        var lists = UpstreamLists()
        if negotiated.offers("tools") { lists.tools = try await session.list(Method.toolsList, key: "tools", timeout: timeout) }
        if negotiated.offers("resources") {
            lists.resources = try await session.list(Method.resourcesList, key: "resources", timeout: timeout)
            lists.templates = try await session.list(Method.resourcesTemplatesList, key: "resourceTemplates", timeout: timeout)
        }
        if negotiated.offers("prompts") { lists.prompts = try await session.list(Method.promptsList, key: "prompts", timeout: timeout) }
        return lists
    }
}

/// Turns an upstream's lists into catalogue entries that forward to it: tools and prompts under their Pier names,
/// resources and templates under their own URIs (but those another source already serves), descriptors as the
/// upstream sent them.
struct UpstreamCatalog {
    let spec: UpstreamSpec
    let forwarder: Forwarder
    /// Where the tasks its tools create are filed, when the runtime routes tasks to upstreams.
    let tasks: UpstreamTasks?
    let logger: Logger

    func entries(_ lists: UpstreamLists, takenURIs: Set<String>) throws(RegistrationError) -> CatalogEntries {
        var entries = CatalogEntries()
        let forwarder = self.forwarder
        for descriptor in lists.tools {
            guard let original = descriptor["name"]?.stringValue, spec.tools.admits(original) else { continue }
            let tasks = self.tasks
            entries.tools.append(
                try ToolEntry(name: spec.naming.exposed(original), descriptor: descriptor) { arguments, context in
                    let result = try await Self.callTool(original, arguments: arguments, forwarder: forwarder, context: context)
                    if let tasks, let id = UpstreamTasks.taskID(of: result) {
                        tasks.record(id, owner: forwarder)
                        return .task(result)
                    }
                    return .result(result)
                })
        }
        for descriptor in lists.prompts {
            guard let original = descriptor["name"]?.stringValue else { continue }
            let complete: CompletionHandler = { params, context in
                var params = params
                if case .object(var ref)? = params["ref"] {
                    ref["name"] = .string(original)
                    params["ref"] = .object(ref)
                }
                return try await Self.rethrown(forwarder) { try await forwarder.forward(Method.complete, params: params, name: nil, context: context) }
            }
            entries.prompts.append(
                PromptEntry(name: spec.naming.exposed(original), descriptor: descriptor, complete: complete) { arguments, context in
                    try await Self.rethrown(forwarder) {
                        try await forwarder.forward(
                            Method.promptsGet, params: ["name": .string(original), "arguments": .object(arguments)], name: original, context: context)
                    }
                })
        }
        for descriptor in lists.resources {
            guard let uri = descriptor["uri"]?.stringValue else { continue }
            var exposed = uri
            if takenURIs.contains(uri) {
                exposed = Self.moved(uri, under: spec.naming.prefix.isEmpty ? spec.name : spec.naming.prefix)
                guard !takenURIs.contains(exposed) else { continue }
                logger.warning(
                    "upstream resource URI already served by another source; served under another URI",
                    metadata: ["upstream": "\(spec.name)", "uri": "\(uri)", "as": "\(exposed)"])
            }
            let assets = spec.assets
            entries.resources.append(
                ResourceEntry(uri: exposed, descriptor: assets?.descriptor(descriptor) ?? descriptor) { context in
                    let result = try await Self.rethrown(forwarder) {
                        try await forwarder.forward(Method.resourcesRead, params: ["uri": .string(uri)], name: uri, context: context)
                    }
                    return assets?.readResult(result) ?? result
                })
        }
        for descriptor in lists.templates {
            guard let pattern = descriptor["uriTemplate"]?.stringValue else { continue }
            let complete: CompletionHandler = { params, context in
                try await Self.rethrown(forwarder) { try await forwarder.forward(Method.complete, params: params, name: nil, context: context) }
            }
            let assets = spec.assets
            entries.templates.append(
                TemplateEntry(uriTemplate: pattern, descriptor: assets?.descriptor(descriptor) ?? descriptor, complete: complete) { uri, _, context in
                    let result = try await Self.rethrown(forwarder) {
                        try await forwarder.forward(Method.resourcesRead, params: ["uri": .string(uri)], name: uri, context: context)
                    }
                    return assets?.readResult(result) ?? result
                })
        }
        return entries
    }

    /// `tools/call` upstream: a JSON-RPC error passes through; a timeout or an unreachable upstream becomes a tool
    /// error naming the server (the detail, which may name addresses, goes only to the log).
    static func callTool(_ name: String, arguments: JSONObject, forwarder: Forwarder, context: MCPRequestContext) async throws -> JSONObject {
        do {
            return try await forwarder.forward(
                Method.toolsCall, params: ["name": .string(name), "arguments": .object(arguments)], name: name, context: context)
        } catch ClientError.rpc(let error)
            where error.code == ErrorCode.missingRequiredClientCapability && !context.client.version.isModern
            && error.data?["requiredCapabilities"]?["extensions"] == nil
        {
            // A handshake-era client cannot act on -32021 for a capability it was asked for mid-call: it gets a tool
            // error it can show, as from Pier's own tools. (A missing extension stays a protocol error, as direct.)
            let names = error.data?["requiredCapabilities"]?.objectValue?.keys ?? []
            let what = names.isEmpty ? "a capability" : "the client's \(names.joined(separator: ", ")) capability"
            return toolError("This tool needs \(what), which this client did not declare.")
        } catch ClientError.rpc(let error) {
            throw error
        } catch ClientError.timeout(let limit) {
            return toolError("Upstream server \"\(forwarder.server)\" did not answer within \(Self.format(limit)) s; the call was cancelled.")
        } catch let error as GatewayError {
            return toolError(error.description)
        } catch let error as ToolError {
            // Asking the client failed in a way it can be told (a client whose stream cannot carry requests).
            return toolError(error.message)
        } catch let error as ClientError {
            forwarder.logger.warning("upstream call failed", metadata: ["upstream": "\(forwarder.server)", "tool": "\(name)", "error": "\(error)"])
            return toolError(GatewayError.unavailable(server: forwarder.server).description)
        }
    }

    /// Runs a forward for a non-tool method: upstream JSON-RPC errors pass through, other failures become an
    /// internal error naming the server.
    static func rethrown(_ forwarder: Forwarder, _ body: () async throws -> JSONObject) async throws -> JSONObject {
        do {
            return try await body()
        } catch ClientError.rpc(let error) {
            throw error
        } catch let error as GatewayError {
            throw MCPError(code: ErrorCode.internalError, message: error.description)
        } catch ClientError.timeout(let limit) {
            throw MCPError(code: ErrorCode.internalError, message: "Upstream server \"\(forwarder.server)\" did not answer within \(format(limit)) s")
        } catch let error as ClientError {
            forwarder.logger.warning("upstream request failed", metadata: ["upstream": "\(forwarder.server)", "error": "\(error)"])
            throw MCPError(code: ErrorCode.internalError, message: GatewayError.unavailable(server: forwarder.server).description)
        }
    }

    /// `uri` moved under `prefix`, for a URI another source already serves: `ui://widget/a.html` becomes
    /// `ui://prefix/widget/a.html`, a URI without `://` becomes `prefix:uri`. Reads go upstream with the original.
    static func moved(_ uri: String, under prefix: String) -> String {
        guard let separator = uri.firstRange(of: "://") else { return "\(prefix):\(uri)" }
        return String(uri[..<separator.upperBound]) + prefix + "/" + String(uri[separator.upperBound...])
    }

    static func toolError(_ text: String) -> JSONObject {
        ["content": [["type": "text", "text": .string(text)]], "isError": true]
    }

    static func format(_ duration: Duration) -> String {
        let seconds = duration.inSeconds
        return seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
