import Logging
import MCPCore

extension MCPServer {
    /// Runs the handlers of tasks until cancelled (then cancels the tasks still running). Run it as a long-lived
    /// service next to the transports; while it is not running, optional task tools answer in the call itself and
    /// required ones are refused.
    public func runTasks() async { await tasks.run() }

    /// Whether ``runTasks()`` is running, so task tools can start tasks.
    public var isRunningTasks: Bool { tasks.isAccepting }

    /// `tasks/get`, `tasks/update` and `tasks/cancel`, for clients that declared the extension. A task this server
    /// runs is answered here; one a ``TaskRouter`` owns (an upstream's) by that router; one another instance runs
    /// from the ledger, where its cancel and input messages are left for it.
    func dispatchTask(_ request: JSONRPCRequest, context: MCPRequestContext) async throws -> JSONObject {
        guard context.client.hasExtension(TasksExtension.id) else { throw MCPError.missingClientExtension(TasksExtension.id) }
        guard case .string(let id)? = request.params["taskId"] else { throw TaskManager.invalid }
        var responses = JSONObject()
        if request.method == TasksExtension.update {
            guard case .object(let given)? = request.params["inputResponses"] else {
                throw MCPError.invalidParams("tasks/update needs an object \"inputResponses\"")
            }
            responses = given
        }
        // Task results say what they are in every era: the extension defines them with resultType.
        if let record = tasks.local(id) {
            switch request.method {
            case TasksExtension.get:
                var detailed = record.detailed
                detailed["resultType"] = "complete"
                return detailed
            case TasksExtension.update:
                record.update(responses)
            default:
                guard record.requestCancel() else { throw MCPError.invalidParams("The task has already finished") }
            }
            return ["resultType": "complete"]
        }
        for router in taskRouters {
            if let answer = try await router.route(request, taskID: id, context: context) { return answer }
        }
        guard let ledger = taskLedger, var snapshot = try await ledger.load(taskID: id) else { throw TaskManager.invalid }
        let finished = type(of: ledger).isFinished(snapshot)
        let ttl = Duration.milliseconds(snapshot["ttlMs"]?.intValue ?? configuration.taskTTLMilliseconds)
        switch request.method {
        case TasksExtension.get:
            snapshot["resultType"] = "complete"
            return snapshot
        case TasksExtension.update:
            if !finished { try await ledger.post(taskID: id, message: ["inputResponses": .object(responses)], ttl: ttl) }
        default:
            guard !finished else { throw MCPError.invalidParams("The task has already finished") }
            try await ledger.post(taskID: id, message: ["cancel": true], ttl: ttl)
        }
        return ["resultType": "complete"]
    }

    /// A `tools/call` of a task tool: `prepare` runs in the call (it may answer `input_required`), then `work`
    /// runs as a task and the call answers `CreateTaskResult`. Returns `nil` when the call should be answered in
    /// place instead (the client did not opt in, or tasks cannot run now and the tool allows that).
    func startTask(
        tool name: String, support: TaskSupport, context: MCPRequestContext, prepare: (@Sendable (MCPRequestContext) async throws -> JSONValue)?,
        work: @escaping @Sendable (MCPRequestContext) async throws -> JSONObject
    ) async throws -> JSONObject? {
        let optedIn = context.client.hasExtension(TasksExtension.id)
        if support == .required, !optedIn { throw MCPError.missingClientExtension(TasksExtension.id) }
        guard optedIn else { return nil }
        let prepared = try await prepare?(context)
        let source = tool(named: name, in: context.view, principal: context.client.principal)?.source ?? ""
        let subject = context.client.principal?.subject
        let record = tasks.start { [self] record in
            let taskContext = context.with(task: record, prepared: prepared)
            // The handler, until it finishes or tasks/cancel fires; shutting down cancels both.
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    let started = ContinuousClock.now
                    defer {
                        self.journal.record(
                            tool: name, source: source, subject: subject, failed: record.status != .completed, duration: ContinuousClock.now - started)
                    }
                    do {
                        let result = try await work(taskContext)
                        record.complete(result)
                    } catch is CancellationError {
                        record.stopped()
                    } catch let error as MCPError {
                        record.fail(error)
                    } catch {
                        self.logger.error("task failed", metadata: ["tool": "\(name)", "error": "\(String(reflecting: error))"])
                        record.fail(.internalError())
                    }
                }
                group.addTask { await record.cancelSignal.wait() }
                if let ledger = self.taskLedger { group.addTask { await self.relay(record, through: ledger) } }
                await group.next()
                group.cancelAll()
            }
            await self.publish(record)
        }
        guard let record else {
            if support == .required { throw MCPError(code: -32603, message: "Pier cannot start more tasks now; try again shortly") }
            return nil
        }
        await publish(record)
        return record.createResult
    }

    /// Saves a task's current view to the ledger (when there is one), so any instance can answer `tasks/get`.
    func publish(_ record: TaskRecord) async {
        guard let taskLedger else { return }
        do {
            let (revision, view) = record.revisedDetailed
            try await taskLedger.save(taskID: record.id, snapshot: view, revision: revision, ttl: .milliseconds(record.ttlMilliseconds))
        } catch {
            logger.warning("could not share a task", metadata: ["task": "\(record.id)", "error": "\(String(reflecting: error))"])
        }
    }

    /// While a task runs: keeps its ledger copy current and applies the cancel and input messages other instances
    /// left for it. It works when woken: by the task changing, by ``wakeTask(_:)`` (a ``ClusterBus`` message that
    /// another instance left one), and every ``ServerConfiguration/taskRelayIntervalMilliseconds`` in case such a
    /// message was missed.
    func relay(_ record: TaskRecord, through ledger: any TaskLedger) async {
        let interval = Duration.milliseconds(configuration.taskRelayIntervalMilliseconds)
        await withDiscardingTaskGroup { group in
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    record.wake()
                }
            }
            var published = -1  // the state at creation was published; whatever happened since may not have been
            for await _ in record.wakes {
                if record.revision != published {
                    published = record.revision
                    await publish(record)
                }
                if let messages = try? await ledger.takeMessages(taskID: record.id) {
                    for message in messages {
                        if message["cancel"] == true { _ = record.requestCancel() }
                        if case .object(let responses)? = message["inputResponses"] { record.update(responses) }
                    }
                }
                // Changes closer together than this share one write.
                try? await Task.sleep(for: Self.relayCoalescing)
            }
            group.cancelAll()
        }
    }

    /// How long a relay waits after one round before it takes the next wake-up.
    static let relayCoalescing = Duration.milliseconds(20)

    /// Wakes the relay of task `id` if it runs here: another instance left it a message.
    public func wakeTask(_ id: String) { tasks.local(id)?.wake() }
}
