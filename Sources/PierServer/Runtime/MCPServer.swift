public import MCPCore
public import Logging
import PierSync
import Tracing

/// The MCP runtime: it answers JSON-RPC requests from one catalogue, in either protocol era, through any number of
/// views of it.
///
/// It knows nothing of sockets. A transport parses a message once, looks its method up once (``MethodSpec``),
/// builds the ``ClientContext`` (from the request's `_meta` for 2026-07-28, from the connection for handshake-era
/// clients), calls ``handle(_:method:client:view:sink:)`` and encodes the response once. Connection-bound transports
/// go through an ``MCPConnection``, which owns `initialize`, cancellation and session changes.
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
    let catalog: Locked<Catalog>
    let serverInfoMeta: JSONObject
    let hub = EventHub()
    let sealer: RequestStateSealer
    let journal: CallJournal
    let metrics: ServerMetrics
    /// The 2026-07-28 clients seen lately, for operators.
    public let recentClients = RecentClients()
    /// The tool list each client fetched last, per view (for the stale-connector warning).
    public let toolListCopies = ToolListCopies()
    let tasks: TaskManager
    /// Shares tasks with the other instances behind the same load balancer; `nil` keeps them in this one.
    let taskLedger: (any TaskLedger)?
    /// Answer `tasks/*` for task ids this server does not run itself (an upstream's, say).
    let taskRouters: [any TaskRouter]

    /// The source of entries added one by one at run time (`addTool`, `addResource`, `addPrompt`).
    public static let runtimeSource = "runtime"

    /// Builds the runtime; each app becomes the source named after it.
    /// - Throws: ``RegistrationError`` for duplicate or malformed names, tools without the required hints, or two
    ///   apps with one name.
    public init(
        info: Implementation, instructions: String? = nil, apps: [MCPApp], configuration: ServerConfiguration = ServerConfiguration(),
        taskLedger: (any TaskLedger)? = nil, taskRouters: [any TaskRouter] = [], logger: Logger = Logger(label: "pier.mcp")
    ) throws(RegistrationError) {
        var catalog = Catalog()
        for app in apps {
            guard catalog.sources[app.name] == nil else { throw RegistrationError(message: "two apps are named \(app.name)") }
            do {
                _ = try catalog.replace(source: app.name, with: try Self.decorated(try app.catalogEntries(), with: configuration))
            } catch {
                throw error.prefixed("app \(app.name)")
            }
        }
        self.catalog = Locked(catalog)
        self.taskLedger = taskLedger
        self.taskRouters = taskRouters
        self.info = info
        self.instructions = instructions
        self.configuration = configuration
        self.logger = logger
        self.serverInfoMeta = [MetaKey.serverInfo: info.json]
        self.sealer = RequestStateSealer(secret: configuration.stateSecret, ledger: configuration.nonceLedger)
        self.tasks = TaskManager(configuration: configuration)
        let metrics = ServerMetrics()
        self.metrics = metrics
        self.journal = CallJournal(observer: configuration.callObserver, metrics: metrics)
    }

    /// What the server offers, for `initialize` and `server/discover`.
    public var capabilities: JSONObject {
        let (completes, offersTasks) = catalog.withLock { ($0.completes, $0.offersTasks) }
        var c: JSONObject = [:]
        c["tools"] = ["listChanged": true]
        c["resources"] = ["subscribe": true, "listChanged": true]
        c["prompts"] = ["listChanged": true]
        if completes { c["completions"] = [:] }
        c["logging"] = [:]
        if offersTasks { c["extensions"] = [TasksExtension.id: [:]] }
        return c
    }

    /// Answers one request whose method the transport has looked up (`spec`; `nil` for a method Pier does not
    /// know), through `view`. Returns `nil` when the request was cancelled: no response is sent then.
    public func handle(
        _ request: JSONRPCRequest, method spec: MethodSpec?, client: ClientContext, view: CatalogView = .everything, sink: NotificationSink
    ) async -> JSONRPCResponse? {
        let started = ContinuousClock.now
        let response = configuration.tracing
            ? await traced(request, method: spec, client: client, view: view, sink: sink)
            : await answer(request, method: spec, client: client, view: view, sink: sink)
        let outcome: ServerMetrics.Outcome = if let response { response.error == nil ? .ok : .error } else { .cancelled }
        let elapsed = ContinuousClock.now - started
        metrics.request(endpoint: view.name, method: spec?.name, outcome: outcome, duration: elapsed)
        logger.info("mcp request", metadata: requestLog(request, spec: spec, client: client, view: view, outcome: outcome, response: response, elapsed: elapsed))
        if configuration.logArguments, let arguments = request.params["arguments"] {
            logger.trace("mcp request arguments", metadata: ["request_id": "\(client.requestID ?? "-")", "arguments": "\(arguments.serializedString())"])
        }
        return response
    }

    /// ``answer(_:method:client:view:sink:)`` in a server span. A trace context in `_meta` (OpenTelemetry's MCP
    /// conventions) is its parent; else the transport's (the HTTP request's span).
    func traced(_ request: JSONRPCRequest, method spec: MethodSpec?, client: ClientContext, view: CatalogView, sink: NotificationSink) async -> JSONRPCResponse? {
        var trace = ServiceContext.current ?? .topLevel
        if request.meta["traceparent"] != nil { InstrumentationSystem.instrument.extract(request.meta, into: &trace, using: TraceMeta()) }
        let target = spec?.nameValue(in: request)
        let spanName = target.map { "\(spec?.name ?? "other") \($0.prefix(128))" } ?? spec?.name ?? "other"
        return await withSpan(spanName, context: trace, ofKind: .server) { span in
            let response = await answer(request, method: spec, client: client, view: view, sink: sink)
            if span.isRecording { Self.describe(span, request, spec: spec, target: target, client: client, view: view, response: response) }
            return response
        }
    }

    /// The span's attributes, after OpenTelemetry's MCP semantic conventions.
    static func describe(
        _ span: any Span, _ request: JSONRPCRequest, spec: MethodSpec?, target: String?, client: ClientContext, view: CatalogView, response: JSONRPCResponse?
    ) {
        span.attributes["mcp.method.name"] = spec?.name ?? "other"
        span.attributes["jsonrpc.request.id"] = request.id.description
        span.attributes["mcp.protocol.version"] = client.version.rawValue
        span.attributes["pier.endpoint"] = view.name == CatalogView.everything.name ? "main" : view.name
        if let target {
            switch spec?.name {
            case Method.toolsCall?:
                span.attributes["gen_ai.tool.name"] = target
                span.attributes["gen_ai.operation.name"] = "execute_tool"
            case Method.promptsGet?: span.attributes["gen_ai.prompt.name"] = target
            case Method.resourcesRead?: span.attributes["mcp.resource.uri"] = target
            default: break
            }
        }
        if let session = client.sessionID { span.attributes["mcp.session.id"] = session }
        if let error = response?.error {
            span.attributes["error.type"] = String(error.code)
            span.attributes["rpc.jsonrpc.error_code"] = error.code
            span.setStatus(SpanStatus(code: .error))
        } else if case .result(let result)? = response?.outcome, result["isError"] == true {
            span.attributes["error.type"] = "tool_error"
            span.setStatus(SpanStatus(code: .error))
        } else if response == nil {
            span.attributes["error.type"] = "cancelled"
        }
    }

    /// What the log says of one request: who, what, how it went and how long it took; never its arguments.
    func requestLog(
        _ request: JSONRPCRequest, spec: MethodSpec?, client: ClientContext, view: CatalogView, outcome: ServerMetrics.Outcome, response: JSONRPCResponse?,
        elapsed: Duration
    ) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "method": "\(spec?.name ?? String(request.method.prefix(64)))", "endpoint": "\(view.name == CatalogView.everything.name ? "main" : view.name)",
            "outcome": "\(outcome.rawValue)", "duration_ms": "\(Double(elapsed.nanoseconds / 1000) / 1000)", "rpc_id": "\(request.id)",
        ]
        if let requestID = client.requestID { metadata["request_id"] = "\(requestID)" }
        if let name = spec?.nameValue(in: request) { metadata[spec?.nameParameter == "uri" ? "uri" : "name"] = "\(name.prefix(256))" }
        if let subject = client.principal?.subject { metadata["subject"] = "\(subject)" }
        if let session = client.sessionID { metadata["session"] = "\(session)" }
        if let code = response?.error?.code { metadata["error_code"] = "\(code)" }
        if case .result(let result)? = response?.outcome, result["isError"] == true { metadata["tool_error"] = "true" }
        return metadata
    }

    func answer(
        _ request: JSONRPCRequest, method spec: MethodSpec?, client: ClientContext, view: CatalogView, sink: NotificationSink
    ) async -> JSONRPCResponse? {
        var client = client
        let modern = client.version.isModern
        // A handshake-era request may add capabilities for itself in _meta (SEP-2575), e.g. the tasks extension.
        if !modern, case .object(let extra)? = request.meta[MetaKey.clientCapabilities] {
            client.capabilities = client.capabilities.addingCapabilities(extra)
        }
        do {
            guard let spec, spec.serves(modern: modern), case .runtime(let run) = spec.handling else { throw MCPError.methodNotFound(request.method) }
            // The answers of earlier rounds, when the request brings any (a handler that asks without them is told
            // what to ask for; see MCPRequestContext.ask).
            var inputs: InputRound?
            if modern, spec.interactive, request.params["requestState"] != nil || request.params["inputResponses"] != nil {
                var answers = JSONObject()
                if let state = request.params["requestState"] {
                    guard case .string(let sealed) = state else { throw MCPError.invalidParams("requestState must be a string") }
                    answers = try await sealer.open(sealed, for: request)
                }
                if let given = request.params["inputResponses"] {
                    guard case .object(let fresh) = given else { throw MCPError.invalidParams("inputResponses must be an object") }
                    answers.merge(fresh)
                }
                inputs = InputRound(responses: answers, resumed: request.params["requestState"] != nil)
            }
            let context = MCPRequestContext(
                requestID: request.id, client: client, meta: request.meta, view: view, logger: logger, sink: sink, runtime: self,
                mayAsk: modern && spec.interactive, inputs: inputs)
            var result: JSONObject
            do {
                result = try await run(self, request, context)
            } catch let needed as InputRequired {
                result = [
                    "resultType": "input_required", "inputRequests": .object(needed.requests),
                    "requestState": .string(sealer.seal(responses: inputs?.responses ?? [:], for: request)),
                ]
            }
            if Task.isCancelled { return nil }
            if modern { decorateModern(&result, cache: spec.cache, view: view) }
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

    /// Answers one request through the whole catalogue, looking its method up.
    public func handle(_ request: JSONRPCRequest, client: ClientContext, sink: NotificationSink) async -> JSONRPCResponse? {
        await handle(request, method: MethodSpec.named(request.method), client: client, sink: sink)
    }

    /// Answers one request unless `signal` fires first, which cancels the handler. Returns `nil` when cancelled.
    ///
    /// The handler runs as a child task so that it can be cancelled, started immediately on the caller's thread:
    /// a call that never suspends runs to its end without a hop to another thread.
    public func handle(
        _ request: JSONRPCRequest, method spec: MethodSpec?, client: ClientContext, view: CatalogView = .everything, sink: NotificationSink,
        until signal: CancelSignal
    ) async -> JSONRPCResponse? {
        await withTaskGroup(of: JSONRPCResponse?.self) { group in
            group.addImmediateTask {
                let response = await self.handle(request, method: spec, client: client, view: view, sink: sink)
                signal.fire()
                return response
            }
            await signal.wait()
            group.cancelAll()
            return await group.next() ?? nil
        }
    }

    /// Adds what 2026-07-28 asks of every result: `resultType`, server info in `_meta`, and cache hints on
    /// cacheable methods (`cacheScope: "private"` when the view depends on the caller).
    func decorateModern(_ result: inout JSONObject, cache: MethodSpec.CacheClass, view: CatalogView) {
        if result["resultType"] == nil { result["resultType"] = "complete" }
        var meta = result["_meta"]?.objectValue ?? [:]
        if let own = view.info { meta[MetaKey.serverInfo] = own.json } else { meta.merge(serverInfoMeta) }
        result["_meta"] = .object(meta)
        let ttl: Int
        switch cache {
        case .none: return
        case .list: ttl = configuration.listTTLMilliseconds
        case .read: ttl = configuration.readTTLMilliseconds
        }
        result["ttlMs"] = .int(ttl)
        result["cacheScope"] = .string(view.dependsOnPrincipal ? "private" : configuration.cacheScope)
    }
}
