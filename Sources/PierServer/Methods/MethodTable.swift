import MCPCore

/// The methods Pier answers, each once.
enum MethodTable {
    static let all: [MethodSpec] = [
        spec(Method.toolsList, cache: .list) { s, r, c in try s.listTools(r.params, context: c) },
        spec(Method.toolsCall, interactive: true, name: "name") { s, r, c in try await s.callTool(r.params, context: c) },
        spec(Method.resourcesList, cache: .list) { s, r, c in try s.listResources(r.params, context: c) },
        spec(Method.resourcesTemplatesList, cache: .list) { s, r, c in try s.listResourceTemplates(r.params, context: c) },
        spec(Method.resourcesRead, interactive: true, name: "uri", cache: .read) { s, r, c in try await s.readResource(r.params, context: c) },
        spec(Method.promptsList, cache: .list) { s, r, c in try s.listPrompts(r.params, context: c) },
        spec(Method.promptsGet, interactive: true, name: "name") { s, r, c in try await s.getPrompt(r.params, context: c) },
        spec(Method.complete) { s, r, c in try await s.complete(r.params, context: c) },
        spec(TasksExtension.get, name: "taskId", nameRequired: false) { s, r, c in try await s.dispatchTask(r, context: c) },
        spec(TasksExtension.update, name: "taskId", nameRequired: false) { s, r, c in try await s.dispatchTask(r, context: c) },
        spec(TasksExtension.cancel, name: "taskId", nameRequired: false) { s, r, c in try await s.dispatchTask(r, context: c) },
        spec(Method.discover, eras: .modern, cache: .list) { s, _, c in s.discoverResult(view: c.view) },
        MethodSpec(
            name: Method.subscriptionsListen, eras: .modern, interactive: false, nameParameter: nil, nameRequired: false, cache: .none,
            sessionEffect: .none, handling: .stream),
        spec(Method.ping, eras: .handshake) { _, _, _ in [:] },
        spec(Method.initialize, eras: .handshake) { s, r, c in
            if let error = ConnectionStateMachine.initializeParamsError(r.params) { throw error }
            return s.initializeResult(version: ProtocolVersion.negotiateLegacy(requested: r.params["protocolVersion"]?.stringValue), view: c.view)
        },
        spec(Method.setLevel, eras: .handshake, effect: .logLevel) { _, r, _ in
            guard let level = r.params["level"]?.stringValue, LogLevel(rawValue: level) != nil else {
                throw MCPError.invalidParams("level must be one of \(LogLevel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return [:]
        },
        // The connection keeps the subscription (a session effect); here only the shape is checked.
        spec(Method.resourcesSubscribe, eras: .handshake, effect: .subscribe, run: checkURI),
        spec(Method.resourcesUnsubscribe, eras: .handshake, effect: .unsubscribe, run: checkURI),
    ]

    static let byName: [String: MethodSpec] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    static func spec(
        _ name: String, eras: MethodSpec.Eras = .both, interactive: Bool = false, name parameter: String? = nil, nameRequired: Bool = true,
        cache: MethodSpec.CacheClass = .none, effect: MethodSpec.SessionEffect = .none,
        run: @escaping @Sendable (MCPServer, JSONRPCRequest, MCPRequestContext) async throws -> JSONObject
    ) -> MethodSpec {
        MethodSpec(
            name: name, eras: eras, interactive: interactive, nameParameter: parameter, nameRequired: nameRequired, cache: cache,
            sessionEffect: effect, handling: .runtime(run))
    }

    @Sendable static func checkURI(_ server: MCPServer, _ request: JSONRPCRequest, _ context: MCPRequestContext) throws -> JSONObject {
        guard request.params["uri"]?.stringValue != nil else { throw MCPError.invalidParams("\(request.method) needs a string \"uri\"") }
        return [:]
    }
}
