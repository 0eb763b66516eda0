import Logging
public import MCPCore

extension MCPServer {
    /// Runs the handlers of tasks until cancelled (then cancels the tasks still running). Run it as a long-lived
    /// service next to the transports; while it is not running, optional task tools answer in the call itself and
    /// required ones are refused.
    public func runTasks() async { await tasks.run() }

    /// Whether ``runTasks()`` is running, so task tools can start tasks.
    public var isRunningTasks: Bool { tasks.isAccepting }

    /// Whether any tool can run as a task (the server then advertises the extension).
    var offersTasks: Bool { snapshot.tools.values.contains { $0.taskSupport != .forbidden } }

    /// `tasks/get`, `tasks/update` and `tasks/cancel`, for clients that declared the extension.
    func dispatchTask(_ request: JSONRPCRequest, context: MCPRequestContext) throws(MCPError) -> JSONObject {
        guard context.client.hasExtension(TasksExtension.id) else { throw MCPError.missingClientExtension(TasksExtension.id) }
        let record = try tasks.record(request.params)
        // Task results say what they are in every era: the extension defines them with resultType.
        switch request.method {
        case TasksExtension.get:
            var detailed = record.detailed
            detailed["resultType"] = "complete"
            return detailed
        case TasksExtension.update:
            guard case .object(let responses)? = request.params["inputResponses"] else {
                throw MCPError.invalidParams("tasks/update needs an object \"inputResponses\"")
            }
            record.update(responses)
            return ["resultType": "complete"]
        default:
            guard record.requestCancel() else { throw MCPError.invalidParams("The task has already finished") }
            return ["resultType": "complete"]
        }
    }

    /// A `tools/call` of a task tool: the preparation runs in the call (it may answer `input_required`), then the
    /// handler runs as a task and the call answers `CreateTaskResult`. Returns `nil` when the call should be
    /// answered in place instead (the client did not opt in, or tasks cannot run now and the tool allows that).
    func startTask(_ tool: ToolDefinition, params: JSONObject, context: MCPRequestContext) async throws -> JSONObject? {
        let optedIn = context.client.hasExtension(TasksExtension.id)
        if tool.taskSupport == .required, !optedIn { throw MCPError.missingClientExtension(TasksExtension.id) }
        guard optedIn else { return nil }
        let arguments = params["arguments"]?.objectValue ?? [:]
        let prepared = try await tool.prepare?(arguments, context)
        let record = tasks.start { [self] record in
            let taskContext = context.with(task: record, prepared: prepared)
            // The handler, until it finishes or tasks/cancel fires; shutting down cancels both.
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    let started = ContinuousClock.now
                    defer { self.journal.record(tool: tool.name, failed: record.status != .completed, duration: ContinuousClock.now - started) }
                    do {
                        let result = try await self.run(tool, arguments: arguments, context: taskContext)
                        record.complete(result)
                    } catch is CancellationError {
                        record.stopped()
                    } catch let error as MCPError {
                        record.fail(error)
                    } catch {
                        self.logger.error("task failed", metadata: ["tool": "\(tool.name)", "error": "\(String(reflecting: error))"])
                        record.fail(.internalError())
                    }
                }
                group.addTask { await record.cancelSignal.wait() }
                await group.next()
                group.cancelAll()
            }
        }
        guard let record else {
            if tool.taskSupport == .required { throw MCPError(code: -32603, message: "Pier cannot start more tasks now; try again shortly") }
            return nil
        }
        return record.createResult
    }
}
