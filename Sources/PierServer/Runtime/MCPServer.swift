public import MCPCore
public import Logging
import Synchronization

/// The MCP runtime: it answers JSON-RPC requests for a set of apps, in either protocol era.
///
/// It knows nothing of sockets. A transport parses a message once, builds the ``ClientContext`` (from the
/// request's `_meta` for 2026-07-28, from the session for legacy clients), calls ``handle(_:client:sink:)``
/// and encodes the response once.
///
/// ```swift
/// let server = try MCPServer(info: Implementation(name: "pier", version: "0.1.0"), apps: [demo])
/// let response = await server.handle(request, client: client, sink: .discard)
/// ```
public final class MCPServer: Sendable {
    public let info: Implementation
    public let instructions: String?
    public let configuration: ServerConfiguration
    let logger: Logger
    let registry: Mutex<Registry>
    let serverInfoMeta: JSONObject
    let hub = EventHub()
    let sealer: RequestStateSealer
    let journal = CallJournal()
    let tasks: TaskManager
    /// Shares tasks with the other instances behind the same load balancer; `nil` keeps them in this one.
    let taskLedger: (any TaskLedger)?

    /// Builds the runtime.
    /// - Throws: ``RegistrationError`` for duplicate or malformed names.
    public init(
        info: Implementation, instructions: String? = nil, apps: [MCPApp], configuration: ServerConfiguration = ServerConfiguration(),
        taskLedger: (any TaskLedger)? = nil, logger: Logger = Logger(label: "pier.mcp")
    ) throws(RegistrationError) {
        self.taskLedger = taskLedger
        self.info = info
        self.instructions = instructions
        self.configuration = configuration
        self.logger = logger
        self.registry = Mutex(try Registry(apps: apps))
        self.serverInfoMeta = [MetaKey.serverInfo: info.json]
        self.sealer = RequestStateSealer(secret: configuration.stateSecret)
        self.tasks = TaskManager(configuration: configuration)
    }

    var snapshot: Registry { registry.withLock { $0 } }

    /// What the server offers, for `initialize` and `server/discover`.
    public var capabilities: JSONObject {
        let r = snapshot
        var c: JSONObject = [:]
        c["tools"] = ["listChanged": true]
        c["resources"] = ["subscribe": true, "listChanged": true]
        c["prompts"] = ["listChanged": true]
        if r.prompts.values.contains(where: { !$0.completions.isEmpty }) || r.templates.contains(where: { !$0.completions.isEmpty }) {
            c["completions"] = [:]
        }
        c["logging"] = [:]
        if offersTasks { c["extensions"] = [TasksExtension.id: [:]] }
        return c
    }

    /// Answers one request. Returns `nil` when the request was cancelled: no response is sent then.
    public func handle(_ request: JSONRPCRequest, client: ClientContext, sink: NotificationSink) async -> JSONRPCResponse? {
        var client = client
        // A handshake-era request may add capabilities for itself in _meta (SEP-2575), e.g. the tasks extension.
        if !client.version.isModern, case .object(let extra)? = request.meta[MetaKey.clientCapabilities] {
            client.capabilities = client.capabilities.addingCapabilities(extra)
        }
        do {
            var inputs: InputRound?
            if client.version.isModern, Self.interactiveMethods.contains(request.method) {
                var answers = JSONObject()
                if let state = request.params["requestState"] {
                    guard case .string(let sealed) = state else { throw MCPError.invalidParams("requestState must be a string") }
                    answers = try sealer.open(sealed, for: request)
                }
                if let given = request.params["inputResponses"] {
                    guard case .object(let fresh) = given else { throw MCPError.invalidParams("inputResponses must be an object") }
                    answers.merge(fresh)
                }
                inputs = InputRound(responses: answers, resumed: request.params["requestState"] != nil)
            }
            let context = MCPRequestContext(requestID: request.id, client: client, meta: request.meta, logger: logger, sink: sink, server: self, inputs: inputs)
            var result: JSONObject
            do {
                result = try await dispatch(request, context: context)
            } catch let needed as InputRequired {
                result = [
                    "resultType": "input_required", "inputRequests": .object(needed.requests),
                    "requestState": .string(sealer.seal(responses: inputs?.responses ?? [:], for: request)),
                ]
            }
            if Task.isCancelled { return nil }
            if client.version.isModern { decorateModern(&result, method: request.method) }
            return JSONRPCResponse(id: request.id, result: result)
        } catch let error as MCPError {
            return JSONRPCResponse(id: request.id, error: error)
        } catch is CancellationError {
            return nil
        } catch let error as ToolError {
            // Outside tools/call (a prompt or resource handler) the author's message becomes the error's message.
            return JSONRPCResponse(id: request.id, error: MCPError(code: -32603, message: error.message))
        } catch {
            logger.error("request failed", metadata: ["method": "\(request.method)", "error": "\(String(reflecting: error))"])
            return JSONRPCResponse(id: request.id, error: .internalError())
        }
    }

    /// Answers one request unless `signal` fires first, which cancels the handler. Returns `nil` when cancelled.
    public func handle(_ request: JSONRPCRequest, client: ClientContext, sink: NotificationSink, until signal: CancelSignal) async -> JSONRPCResponse? {
        await withTaskGroup(of: JSONRPCResponse?.self) { group in
            group.addTask {
                let response = await self.handle(request, client: client, sink: sink)
                signal.fire()
                return response
            }
            await signal.wait()
            group.cancelAll()
            return await group.next() ?? nil
        }
    }

    /// The methods whose handlers may ask the client for input (MRTR, or server→client requests).
    public static let interactiveMethods: Set<String> = [Method.toolsCall, Method.promptsGet, Method.resourcesRead]

    func dispatch(_ request: JSONRPCRequest, context: MCPRequestContext) async throws -> JSONObject {
        let modern = context.client.version.isModern
        switch request.method {
        case Method.toolsList: return try listTools(request.params)
        case Method.toolsCall: return try await callTool(request.params, context: context)
        case Method.resourcesList: return try listResources(request.params)
        case Method.resourcesTemplatesList: return try listResourceTemplates(request.params)
        case Method.resourcesRead: return try await readResource(request.params, context: context)
        case Method.promptsList: return try listPrompts(request.params)
        case Method.promptsGet: return try await getPrompt(request.params, context: context)
        case Method.complete: return try await complete(request.params)
        case TasksExtension.get, TasksExtension.update, TasksExtension.cancel: return try await dispatchTask(request, context: context)
        case Method.discover where modern: return discoverResult()
        case Method.ping where !modern: return [:]
        case Method.resourcesSubscribe where !modern, Method.resourcesUnsubscribe where !modern:
            // The transport keeps the subscription with the session; here only the shape is checked.
            guard request.params["uri"]?.stringValue != nil else { throw MCPError.invalidParams("\(request.method) needs a string \"uri\"") }
            return [:]
        case Method.setLevel where !modern:
            guard let level = request.params["level"]?.stringValue, LogLevel(rawValue: level) != nil else {
                throw MCPError.invalidParams("level must be one of \(LogLevel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return [:]
        case Method.initialize where !modern:
            return initializeResult(version: ProtocolVersion.negotiateLegacy(requested: request.params["protocolVersion"]?.stringValue))
        default:
            throw MCPError.methodNotFound(request.method)
        }
    }

    /// Adds what 2026-07-28 asks of every result: `resultType`, server info in `_meta`, and cache hints on
    /// cacheable methods.
    func decorateModern(_ result: inout JSONObject, method: String) {
        if result["resultType"] == nil { result["resultType"] = "complete" }
        var meta = result["_meta"]?.objectValue ?? [:]
        meta.merge(serverInfoMeta)
        result["_meta"] = .object(meta)
        switch method {
        case Method.toolsList, Method.promptsList, Method.resourcesList, Method.resourcesTemplatesList, Method.discover:
            result["ttlMs"] = .int(configuration.listTTLMilliseconds)
            result["cacheScope"] = .string(configuration.cacheScope)
        case Method.resourcesRead:
            result["ttlMs"] = .int(configuration.readTTLMilliseconds)
            result["cacheScope"] = .string(configuration.cacheScope)
        default: break
        }
    }
}
