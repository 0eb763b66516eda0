public import MCPCore
public import Logging

/// What a handler gets besides its arguments: the client, the request's `_meta`, the view of the catalogue it came
/// through, and ways to report progress and log to the client.
public struct MCPRequestContext: Sendable {
    public let requestID: JSONRPCID
    public let client: ClientContext
    /// The request's `_meta`, including host keys such as `openai/locale` (hints only, never for authz).
    public let meta: JSONObject
    /// The view of the catalogue the request came through (its endpoint's).
    public let view: CatalogView
    /// A logger for the server's own log (not sent to the client).
    public let logger: Logger
    private(set) var sink: NotificationSink
    /// The runtime serving the call.
    let runtime: MCPServer
    /// Whether the handler may ask for input the 2026-07-28 way (`input_required`).
    let mayAsk: Bool
    /// The answers to input requests so far (2026-07-28 multi-round calls); `nil` before the first answer.
    let inputs: InputRound?
    /// What the tool's preparation returned, for a tool with one (task tools ask for input there).
    public private(set) var prepared: JSONValue?
    /// The task this handler runs as, when it runs as one: input then comes through `tasks/update`.
    private(set) var task: TaskRecord?

    init(
        requestID: JSONRPCID, client: ClientContext, meta: JSONObject, view: CatalogView, logger: Logger, sink: NotificationSink, runtime: MCPServer,
        mayAsk: Bool, inputs: InputRound?
    ) {
        self.requestID = requestID
        self.client = client
        self.meta = meta
        self.view = view
        self.logger = logger
        self.sink = sink
        self.runtime = runtime
        self.mayAsk = mayAsk
        self.inputs = inputs
    }

    /// The server running the call, as far as handlers need it: its figures, the tools the caller sees, and
    /// changes to what it offers.
    public var server: ServerHandle { ServerHandle(runtime: runtime, view: view, principal: client.principal) }

    /// `true` when this is a 2026-07-28 retry whose `requestState` Pier verified: signed by this server (or one
    /// sharing `PIER_SECRET`), unexpired, unused, and issued for this same method, target and arguments.
    public var resumedFromVerifiedState: Bool { inputs?.resumed ?? false }

    /// This context with a preparation's result, running as task `record` (or in the call itself, with `nil`).
    func with(task record: TaskRecord?, prepared: JSONValue?) -> MCPRequestContext {
        var copy = self
        copy.task = record
        copy.prepared = prepared
        if record != nil { copy.sink = .discard }
        return copy
    }

    /// `true` when this handler runs as a task (its caller got a `CreateTaskResult` and polls `tasks/get`).
    public var isTask: Bool { task != nil }

    /// The progress token the client asked progress to be reported against, if any.
    public var progressToken: JSONValue? { meta[MetaKey.progressToken] }

    /// Sends `notifications/progress` when the client asked for progress; otherwise does nothing.
    public func reportProgress(_ progress: Double, total: Double? = nil, message: String? = nil) async {
        guard let token = progressToken else { return }
        var params: JSONObject = ["progressToken": token, "progress": .double(progress)]
        if let total { params["total"] = .double(total) }
        if let message { params["message"] = .string(message) }
        await sink(JSONRPCNotification(method: Method.progress, params: params))
    }

    /// Sends `notifications/message` when the client opted in at `level` or below.
    public func log(_ level: LogLevel, _ data: JSONValue, logger name: String? = nil) async {
        guard let min = client.logLevel, level >= min else { return }
        var params: JSONObject = ["level": .string(level.rawValue), "data": data]
        if let name { params["logger"] = .string(name) }
        await sink(JSONRPCNotification(method: Method.message, params: params))
    }

    /// Passes on a notification another party sent about this call (an upstream server's progress or log
    /// message): progress goes out only when the client asked for it, under the client's own progress token; a log
    /// message only when the client opted in at its level; anything else as it is.
    public func forward(_ notification: JSONRPCNotification) async {
        var forwarded = notification
        switch notification.method {
        case Method.progress:
            guard let token = progressToken else { return }
            forwarded.params["progressToken"] = token
        case Method.message:
            guard let min = client.logLevel, let level = notification.params["level"]?.stringValue.flatMap(LogLevel.init(rawValue:)), level >= min else {
                return
            }
        default:
            break
        }
        await sink(forwarded)
    }

    /// Throws -32021 unless the client declared every capability named.
    public func requireClientCapabilities(_ names: String...) throws(MCPError) {
        let missing = names.filter { !client.hasCapability($0) }
        if !missing.isEmpty { throw MCPError.missingClientCapability(missing) }
    }
}
