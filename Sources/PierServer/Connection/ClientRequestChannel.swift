public import MCPCore

/// Sends server→client requests (`elicitation/create`, `sampling/createMessage`, `roots/list`) to a handshake-era
/// client on the stream of the call that asks, and waits for the answer the client sends back on its connection.
/// Handlers reach it through ``MCPRequestContext/ask(_:)``; ``MCPConnection`` makes one per call whose stream can
/// carry requests, and routes each answer to the call that asked.
public struct ClientRequestChannel: Sendable {
    let connection: MCPConnection
    let send: MCPConnection.RequestSender

    /// Sends a request and waits for the client's answer; cancelling the call stops the wait.
    /// - Throws: ``ToolError`` when the client answers with an error; `CancellationError` when cancelled.
    public func request(method: String, params: JSONObject) async throws -> JSONObject {
        let slot = ResponseSlot()
        let id = connection.expect(slot)
        defer { connection.forget(id) }
        await send(JSONRPCRequest(id: id, method: method, params: params))
        guard let response = await slot.value() else { throw CancellationError() }
        switch response.outcome {
        case .result(let result): return result
        case .error(let error): throw ToolError("The client could not answer \(method): \(error.message)")
        }
    }
}
