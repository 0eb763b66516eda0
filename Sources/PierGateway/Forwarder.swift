import Logging
import MCPClient
import MCPCore
import PierServer
import Tracing

/// Sends one client request on to an upstream and brings its answer back unchanged: the client's `_meta` (but
/// Pier's own protocol keys), its capabilities for a 2026-07-28 upstream, progress under the client's own token,
/// and the upstream's questions (elicitation, sampling, roots) put to the client in whatever form its era uses.
struct Forwarder: Sendable {
    let server: String
    let session: ClientSession
    let timeout: Duration
    let gate: ConcurrencyGate?
    let logger: Logger

    /// The request's params with the client's `_meta`, less the keys that describe the client to Pier.
    /// The client's log level goes along, so that the upstream logs to it as it would directly.
    static func passOn(_ params: JSONObject, meta: JSONObject, logLevel: LogLevel?) -> JSONObject {
        var params = params
        var kept = JSONObject()
        for member in meta where member.key != MetaKey.progressToken && !member.key.hasPrefix("io.modelcontextprotocol/") {
            kept[member.key] = member.value
        }
        if let logLevel { kept[MetaKey.logLevel] = .string(logLevel.rawValue) }
        params["_meta"] = kept.isEmpty ? nil : .object(kept)
        return params
    }

    /// Forwards `method` with `params`; a 2026-07-28 upstream's `input_required` rounds are answered through the
    /// client and sent again, up to eight rounds.
    /// - Throws: ``ClientError`` as the upstream or the transport failed; whatever asking the client throws.
    func forward(_ method: String, params: JSONObject, name: String?, context: MCPRequestContext) async throws -> JSONObject {
        // A client span per upstream call; its context goes on in `_meta` (and, over HTTP, in `traceparent`).
        try await withSpan(name.map { "\(method) \($0.prefix(128))" } ?? method, ofKind: .client) { span in
            if span.isRecording {
                span.attributes["mcp.method.name"] = method
                span.attributes["pier.upstream"] = server
                if method == Method.toolsCall, let name { span.attributes["gen_ai.tool.name"] = name }
            }
            do {
                return try await forwardTraced(method, params: params, name: name, context: context)
            } catch {
                span.recordError(error)
                throw error
            }
        }
    }

    func forwardTraced(_ method: String, params: JSONObject, name: String?, context: MCPRequestContext) async throws -> JSONObject {
        if let gate {
            guard await gate.enter() else {
                throw GatewayError.busy(server: server)
            }
        }
        defer { gate?.leave() }
        var params = Self.passOn(params, meta: context.meta, logLevel: context.client.logLevel)
        let traced = TraceMeta.stamped(params["_meta"]?.objectValue ?? [:])
        if !traced.isEmpty { params["_meta"] = .object(traced) }
        let observer = CallObserver(
            wantsProgress: context.progressToken != nil,
            notification: { notification in await context.forward(notification) },
            request: { request in try await Self.ask(request, context: context) })
        for _ in 0..<8 {
            let result = try await session.request(
                method, params: params, name: name, timeout: timeout, clientCapabilities: context.client.capabilities, observer: observer)
            guard result["resultType"]?.stringValue == "input_required", case .object(let asked)? = result["inputRequests"] else {
                return Self.withoutUpstreamServerInfo(result)
            }
            var keys: [String] = []
            var requests: [InputRequest] = []
            for member in asked {
                guard let method = member.value["method"]?.stringValue else { continue }
                keys.append(member.key)
                requests.append(
                    .raw(method: method, params: member.value["params"]?.objectValue ?? [:], capability: Self.capability(of: method), key: member.key))
            }
            let answers = try await context.ask(requests)
            var responses = JSONObject()
            for (key, answer) in zip(keys, answers) { responses[key] = .object(answer.json) }
            params["inputResponses"] = .object(responses)
            params["requestState"] = result["requestState"]
        }
        throw ClientError.malformed("more than eight rounds of input_required")
    }

    /// `result` without the upstream's `_meta` serverInfo, which describes the upstream to Pier (Pier puts its own
    /// there for its clients); everything else in `_meta` stays.
    static func withoutUpstreamServerInfo(_ result: JSONObject) -> JSONObject {
        guard case .object(var meta)? = result["_meta"], meta[MetaKey.serverInfo] != nil else { return result }
        var result = result
        meta[MetaKey.serverInfo] = nil
        result["_meta"] = meta.isEmpty ? nil : .object(meta)
        return result
    }

    /// The client capability an upstream request needs.
    static func capability(of method: String) -> String {
        switch method {
        case "elicitation/create": "elicitation"
        case "sampling/createMessage": "sampling"
        case "roots/list": "roots"
        default: method
        }
    }

    /// Puts an upstream's request to the client; a client without the capability gets the upstream a JSON-RPC
    /// error instead.
    static func ask(_ request: JSONRPCRequest, context: MCPRequestContext) async throws -> JSONRPCResponse.Outcome {
        let capability = capability(of: request.method)
        guard ["elicitation", "sampling", "roots"].contains(capability) else { return .error(.methodNotFound(request.method)) }
        guard context.client.hasCapability(capability) else {
            return .error(MCPError(code: ErrorCode.methodNotFound, message: "The client does not support \(capability)"))
        }
        var params = request.params
        params["_meta"] = nil
        do {
            let answers = try await context.ask([.raw(method: request.method, params: params, capability: capability)])
            return .result(answers[0].json)
        } catch let error as ToolError {
            return .error(MCPError(code: ErrorCode.internalError, message: error.message))
        }
    }
}
