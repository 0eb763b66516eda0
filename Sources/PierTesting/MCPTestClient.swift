public import MCPCore
public import PierServer
import PierSync

/// Calls an ``MCPServer`` directly, with no transport, so app authors can test their tools in microseconds.
///
/// ```swift
/// let client = try MCPTestClient(apps: [myApp])
/// let result = try await client.callTool("echo", arguments: ["text": "hi"])
/// #expect(result.text == "hi")
/// ```
public struct MCPTestClient: Sendable {
    /// Answers one input request (`elicitation/create`, `sampling/createMessage`, `roots/list`) the way a user or
    /// a client's model would: given the method and params, returns the result object.
    public typealias InputResponder = @Sendable (_ method: String, _ params: JSONObject) async -> JSONObject

    public let server: MCPServer
    public let client: ClientContext
    /// The view of the catalogue the client sees (an endpoint's or a connector's).
    public let view: CatalogView
    let responder: InputResponder?
    private let counter = Counter()
    private let recorded = Recorder()

    /// A client of a new server built from `apps`, speaking `version` with `capabilities`.
    ///
    /// With `answering`, a 2026-07-28 client answers `input_required` results itself and retries, as a real client
    /// does, so ``request(_:_:)`` returns the final result; without it, the `input_required` result is returned.
    public init(
        apps: [MCPApp], version: ProtocolVersion = .latest, capabilities: JSONObject = [:], logLevel: LogLevel? = nil,
        configuration: ServerConfiguration = ServerConfiguration(), answering responder: InputResponder? = nil
    ) throws {
        self.init(
            server: try MCPServer(info: Implementation(name: "pier-test", version: "0"), apps: apps, configuration: configuration),
            version: version, capabilities: capabilities, logLevel: logLevel, answering: responder)
    }

    /// A client of an existing server (one `buildServer` made, say), seeing it through `view` as `principal`.
    public init(
        server: MCPServer, version: ProtocolVersion = .latest, capabilities: JSONObject = [:], logLevel: LogLevel? = nil,
        view: CatalogView = .everything, principal: Principal? = nil, answering responder: InputResponder? = nil
    ) {
        self.server = server
        var client = ClientContext(version: version, capabilities: capabilities, logLevel: logLevel)
        client.principal = principal
        self.client = client
        self.view = view
        self.responder = responder
    }

    /// Sends one request and returns its result, or throws the JSON-RPC error the server answered with. Input
    /// rounds are answered through the responder given at init (at most 16 rounds).
    public func request(_ method: String, _ params: JSONObject = [:]) async throws(MCPError) -> JSONObject {
        var params = params
        var result = try await send(method, params)
        var rounds = 0
        while let responder, result["resultType"] == "input_required", let asked = result["inputRequests"]?.objectValue, rounds < 16 {
            rounds += 1
            var answers = JSONObject()
            for member in asked {
                let request = member.value
                answers[member.key] = .object(await responder(request["method"]?.stringValue ?? "", request["params"]?.objectValue ?? [:]))
            }
            params["inputResponses"] = .object(answers)
            params["requestState"] = result["requestState"]
            result = try await send(method, params)
        }
        return result
    }

    func send(_ method: String, _ params: JSONObject) async throws(MCPError) -> JSONObject {
        let id = JSONRPCID.int(counter.next())
        var params = params
        if client.version.isModern {
            var meta = params["_meta"]?.objectValue ?? [:]
            meta[MetaKey.protocolVersion] = .string(client.version.rawValue)
            meta[MetaKey.clientCapabilities] = .object(client.capabilities)
            params["_meta"] = .object(meta)
        }
        let sink = NotificationSink { [recorded] n in recorded.append(n) }
        let request = JSONRPCRequest(id: id, method: method, params: params)
        guard let response = await server.handle(request, method: MethodSpec.named(method), client: client, view: view, sink: sink) else {
            throw MCPError(code: -32800, message: "Request cancelled")
        }
        switch response.outcome {
        case .result(let r): return r
        case .error(let e): throw e
        }
    }

    /// Calls a tool.
    public func callTool(_ name: String, arguments: JSONObject = [:], meta: JSONObject? = nil) async throws(MCPError) -> ToolCallResult {
        var params: JSONObject = ["name": .string(name), "arguments": .object(arguments)]
        if let meta { params["_meta"] = .object(meta) }
        return ToolCallResult(json: try await request(Method.toolsCall, params))
    }

    /// Every tool descriptor, across pages.
    public func listTools() async throws(MCPError) -> [JSONObject] {
        var tools: [JSONObject] = []
        var cursor: JSONValue?
        repeat {
            var params: JSONObject = [:]
            if let cursor { params["cursor"] = cursor }
            let page = try await request(Method.toolsList, params)
            tools += page["tools"]?.arrayValue?.compactMap(\.objectValue) ?? []
            cursor = page["nextCursor"]
        } while cursor != nil
        return tools
    }

    /// Reads a resource.
    public func readResource(_ uri: String) async throws(MCPError) -> [JSONObject] {
        try await request(Method.resourcesRead, ["uri": .string(uri)])["contents"]?.arrayValue?.compactMap(\.objectValue) ?? []
    }

    /// Runs `body` with the server's task runner going, so task tools called inside it run as tasks (a client
    /// that declared the `io.modelcontextprotocol/tasks` extension gets `CreateTaskResult`s and polls
    /// `tasks/get`). The runner stops, cancelling unfinished tasks, when `body` returns.
    public func withTasks<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await server.runTasks() }
            while !server.isRunningTasks { await Task.yield() }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    /// Polls `tasks/get` until task `id` reaches one of `statuses` (by default any terminal one) and returns it.
    /// - Throws: ``TaskWaitTimeout`` when it does not get there within `timeout`.
    public func waitForTask(
        _ id: JSONValue, until statuses: Set<String> = ["completed", "failed", "cancelled"], timeout: Duration = .seconds(30)
    ) async throws -> JSONObject {
        let deadline = ContinuousClock.now + timeout
        var last: JSONObject = [:]
        while ContinuousClock.now < deadline {
            last = try await request(TasksExtension.get, ["taskId": id])
            if let status = last["status"]?.stringValue, statuses.contains(status) { return last }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TaskWaitTimeout(task: last)
    }

    /// The notifications the server sent so far (progress, log messages).
    public var notifications: [JSONRPCNotification] { recorded.all }
}

/// A task did not reach the awaited status in time; `task` is what `tasks/get` said last.
public struct TaskWaitTimeout: Error, Sendable {
    public let task: JSONObject
}

/// A `tools/call` result with accessors for the common checks.
public struct ToolCallResult: Sendable {
    public let json: JSONObject
    public var isError: Bool { json["isError"]?.boolValue ?? false }
    public var structuredContent: JSONValue? { json["structuredContent"] }
    public var content: [JSONValue] { json["content"]?.arrayValue ?? [] }
    /// The text of the first text block.
    public var text: String? { content.lazy.compactMap { $0["text"]?.stringValue }.first }
}

final class Counter: Sendable {
    private let value = Locked(0)
    func next() -> Int { value.withLock { $0 += 1; return $0 } }
}

final class Recorder: Sendable {
    private let items = Locked<[JSONRPCNotification]>([])
    func append(_ n: JSONRPCNotification) { items.withLock { $0.append(n) } }
    var all: [JSONRPCNotification] { items.withLock { $0 } }
}
