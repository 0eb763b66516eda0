public import MCPCore
import PierSync

extension ClientSession {
    // MARK: Inbound

    /// Takes one message from the transport (everything that did not come back on a send of its own).
    public func receive(_ message: JSONRPCMessage) async {
        await route(message, to: nil)
    }

    /// Routes a message to the request it belongs to: `owner` when it came back on that request's own stream,
    /// else by response id, progress token, or (for upstream requests on a shared stream) the newest request in
    /// flight that takes them.
    func route(_ message: JSONRPCMessage, to owner: JSONRPCID?) async {
        switch message {
        case .response(let response):
            guard let id = response.id, let inbox = state.withLock({ $0.inFlight[id] }) else { return }
            inbox.push(.response(response))
        case .notification(let notification):
            if notification.method == Method.progress, let token = notification.params["progressToken"] {
                let inbox = state.withLock { s in s.inFlight.values.first { $0.progressToken == token } }
                inbox?.push(.notification(notification))
            } else if notification.method == Method.cancelled {
                // The upstream withdrew a request of its own; the answer, if any, is ignored on its side.
            } else if let owner, notification.method == Method.message, let inbox = state.withLock({ $0.inFlight[owner] }) {
                inbox.push(.notification(notification))
            } else {
                await onNotification(notification)
            }
        case .request(let request):
            if request.method == Method.ping {
                post(.response(JSONRPCResponse(id: request.id, result: [:])))
                return
            }
            let inbox = state.withLock { s -> CallInbox? in
                if let owner, let inbox = s.inFlight[owner] { return inbox }
                return s.asking.last.flatMap { s.inFlight[$0] }
            }
            if inbox?.push(.request(request)) != true {
                post(.response(JSONRPCResponse(id: request.id, error: MCPError(code: ErrorCode.methodNotFound, message: "No request in flight takes \(request.method) now"))))
            }
        }
    }
}
