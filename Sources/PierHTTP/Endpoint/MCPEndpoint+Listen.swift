import AsyncAlgorithms
import Hummingbird
import HTTPTypes
import MCPCore
import NIOCore
import PierServer
import ServiceLifecycle

/// `subscriptions/listen` (2026-07-28): a long-lived POST answered with an SSE stream. The first message
/// acknowledges the filter; every later one is a requested change notification stamped with the subscription id
/// (the request's id). The stream ends when the client leaves, or with a result when the server shuts down.
extension MCPEndpoint {
    func listen(_ r: JSONRPCRequest, call: IncomingCall) -> Response {
        guard call.acceptsSSE else {
            return HTTPReply.jsonRPCError(status: .badRequest, error: .invalidRequest("subscriptions/listen needs Accept: text/event-stream"), id: r.id)
        }
        let filter: SubscriptionFilter
        do {
            filter = try SubscriptionFilter(params: r.params)
        } catch {
            return HTTPReply.jsonRPCError(status: .badRequest, error: error, id: r.id)
        }
        // Subscribe before acknowledging, so nothing between the two is missed.
        let events = server.events()
        let server = self.server
        let keepAlive = configuration.keepAliveInterval
        let liveness = call.liveness
        return Response(
            status: .ok, headers: sseHeaders,
            body: ResponseBody { writer in
                let open = OpenStreams("listen", endpoint: self.metricsName)
                defer { open.close() }
                let outbox = AsyncChannel<ByteBuffer>()
                let acknowledgment = SSEEvent.message(.notification(server.listenAcknowledgment(filter, subscription: r.id)))
                try await withGracefulShutdownHandler {
                    try await pumpSSE(outbox, to: &writer, first: acknowledgment, keepAlive: keepAlive, liveness: liveness) { group in
                        group.addTask {
                            for await event in events where filter.matches(event) {
                                await outbox.send(SSEEvent.message(.notification(SubscriptionFilter.notification(event, subscription: r.id))))
                            }
                        }
                    }
                } onGracefulShutdown: {
                    outbox.finish()
                }
                if Task.isShuttingDownGracefully {
                    try await writer.write(SSEEvent.message(.response(JSONRPCResponse(id: r.id, result: server.listenResult(subscription: r.id)))))
                }
                try await writer.finish(nil)
            })
    }
}
