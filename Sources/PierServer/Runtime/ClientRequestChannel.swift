public import MCPCore
import Synchronization

/// Sends server→client requests (`elicitation/create`, `sampling/createMessage`, `roots/list`) to a handshake-era
/// client over a connection that can carry them, and hands each response back to the call that asked.
///
/// The transport gives it a way to send, and calls ``deliver(_:)`` with every response the client posts.
public final class ClientRequestChannel: Sendable {
    let send: @Sendable (JSONRPCRequest) async -> Void
    let idPrefix: String
    private let state = Mutex<(next: Int, waiting: [JSONRPCID: ResponseSlot])>((0, [:]))

    /// - Parameters:
    ///   - idPrefix: starts the id of every request sent, so channels sharing one client connection never reuse
    ///     each other's ids.
    ///   - send: puts a request on the connection.
    public init(idPrefix: String = "pier", send: @escaping @Sendable (JSONRPCRequest) async -> Void) {
        self.idPrefix = idPrefix
        self.send = send
    }

    /// Sends a request and waits for the client's answer; cancelling the call stops the wait.
    /// - Throws: ``ToolError`` when the client answers with an error; `CancellationError` when cancelled.
    public func request(method: String, params: JSONObject) async throws -> JSONObject {
        let slot = ResponseSlot()
        let id = state.withLock { s -> JSONRPCID in
            s.next += 1
            let id = JSONRPCID.string("\(idPrefix)-\(s.next)")
            s.waiting[id] = slot
            return id
        }
        defer { _ = state.withLock { $0.waiting.removeValue(forKey: id) } }
        await send(JSONRPCRequest(id: id, method: method, params: params))
        guard let response = await slot.value() else { throw CancellationError() }
        switch response.outcome {
        case .result(let result): return result
        case .error(let error): throw ToolError("The client could not answer \(method): \(error.message)")
        }
    }

    /// Hands a client's response to the call waiting for it; `false` when none is.
    @discardableResult
    public func deliver(_ response: JSONRPCResponse) -> Bool {
        guard let id = response.id, let slot = state.withLock({ $0.waiting[id] }) else { return false }
        slot.fill(response)
        return true
    }
}

/// One awaited response; waiting honours task cancellation (and then yields `nil`).
final class ResponseSlot: Sendable {
    private let state = Mutex<(value: JSONRPCResponse?, done: Bool, waiter: CheckedContinuation<JSONRPCResponse?, Never>?)>((nil, false, nil))

    func fill(_ response: JSONRPCResponse) {
        let waiter = state.withLock { s -> CheckedContinuation<JSONRPCResponse?, Never>? in
            guard !s.done else { return nil }
            s.done = true
            s.value = response
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: response)
    }

    func value() async -> JSONRPCResponse? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<JSONRPCResponse?, Never>) in
                let ready = state.withLock { s -> (Bool, JSONRPCResponse?) in
                    if s.done || Task.isCancelled { s.done = true; return (true, s.value) }
                    s.waiter = c
                    return (false, nil)
                }
                if ready.0 { c.resume(returning: ready.1) }
            }
        } onCancel: {
            let waiter = state.withLock { s -> CheckedContinuation<JSONRPCResponse?, Never>? in
                s.done = true
                defer { s.waiter = nil }
                return s.waiter
            }
            waiter?.resume(returning: nil)
        }
    }
}
