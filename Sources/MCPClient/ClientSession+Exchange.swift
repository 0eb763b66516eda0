public import MCPCore
import PierSync

extension ClientSession {
    /// One request on the wire: registered, sent, and its events handled in this task until the response.
    ///
    /// No task is spawned per request. A transport that answers inline (HTTP) hands the replies to this task
    /// while the exchange lasts, and gives up at the deadline itself. For one that does not (stdio), the request
    /// is written and the task waits on its inbox, where ``runOutbox()``'s sweeper puts a timeout when the
    /// deadline passes.
    func send(
        _ method: String, params: JSONObject, protocolVersion: String?, name: String?, timeout: Duration?, observer: CallObserver?
    ) async throws -> JSONObject {
        let deadline = timeout.map { ContinuousClock.now + $0 }
        let (id, inbox) = try register(asking: observer != nil, wantsProgress: observer?.wantsProgress ?? false, deadline: deadline, timeout: timeout)
        var params = params
        if let token = inbox.progressToken {
            var meta = params["_meta"]?.objectValue ?? [:]
            meta[MetaKey.progressToken] = token
            params["_meta"] = .object(meta)
        }
        let outbound = Outbound(
            .request(JSONRPCRequest(id: id, method: method, params: params)), protocolVersion: protocolVersion, name: name, deadline: deadline)
        var answered = false
        defer {
            unregister(id)
            if !answered, method != Method.initialize, method != Method.discover {
                let reason = Task.isCancelled ? "cancelled by the client" : "abandoned by Pier"
                post(
                    .notification(JSONRPCNotification(method: Method.cancelled, params: ["requestId": id.json, "reason": .string(reason)])),
                    protocolVersion: protocolVersion)
            }
        }
        do {
            if transport.answersInline {
                try await transport.send(outbound) { reply in try await self.inline(reply, for: id, inbox: inbox, observer: observer, protocolVersion: protocolVersion) }
                if !inbox.hasEnded { throw ClientError.transport(.closed("the upstream ended its answer without a response")) }
            } else {
                try await transport.send(outbound) { _ in }
            }
        } catch ClientTransportError.deadlineExceeded {
            throw ClientError.timeout(timeout ?? .zero)
        } catch let error as ClientTransportError {
            throw ClientError.transport(error)
        }
        while let event = await inbox.next() {
            switch event {
            case .response(let response):
                answered = true
                switch response.outcome {
                case .result(let result): return result
                case .error(let error): throw ClientError.rpc(error)
                }
            case .failed(let error):
                throw error
            case .notification(let notification):
                await observer?.notification(notification)
            case .request(let request):
                try await answer(request, with: observer, protocolVersion: protocolVersion)
            }
        }
        throw CancellationError()
    }

    /// A reply on an inline exchange, handled in the sending task: the response goes to the inbox, notifications
    /// and questions to the observer at once.
    func inline(_ reply: JSONRPCMessage, for id: JSONRPCID, inbox: CallInbox, observer: CallObserver?, protocolVersion: String?) async throws {
        switch reply {
        case .response(let response) where response.id == id:
            inbox.push(.response(response))
        case .notification(let notification) where notification.method == Method.progress || notification.method == Method.message:
            if let observer { await observer.notification(notification) } else { await onNotification(notification) }
        case .request(let request) where request.method != Method.ping:
            try await answer(request, with: observer, protocolVersion: protocolVersion)
        default:
            await route(reply, to: id)
        }
    }

    /// Answers a request the upstream asked while one of ours ran, through the observer.
    func answer(_ request: JSONRPCRequest, with observer: CallObserver?, protocolVersion: String?) async throws {
        let outcome: JSONRPCResponse.Outcome
        if let observer {
            outcome = try await observer.request(request)
        } else {
            outcome = .error(MCPError.methodNotFound(request.method))
        }
        let response = JSONRPCResponse(id: request.id, outcome: outcome)
        try await transport.send(Outbound(.response(response), protocolVersion: protocolVersion), replies: { _ in })
    }

    func register(asking: Bool, wantsProgress: Bool, deadline: ContinuousClock.Instant?, timeout: Duration?) throws(ClientError) -> (JSONRPCID, CallInbox) {
        try state.withLock { s throws(ClientError) in
            if let closed = s.closed { throw closed }
            let id = JSONRPCID.int(s.nextID)
            let inbox = CallInbox(progressToken: wantsProgress ? .string("pier-\(s.nextID)") : nil, deadline: deadline, timeout: timeout)
            s.nextID += 1
            s.inFlight[id] = inbox
            if asking { s.asking.append(id) }
            return (id, inbox)
        }
    }

    func unregister(_ id: JSONRPCID) {
        state.withLock { s in
            s.inFlight[id] = nil
            if let index = s.asking.lastIndex(of: id) { s.asking.remove(at: index) }
        }
    }
}
