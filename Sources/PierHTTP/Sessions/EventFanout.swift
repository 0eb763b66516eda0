import MCPCore
import PierServer
import ServiceLifecycle

/// Delivers server events (list changes, resource updates) to legacy clients: the GET stream of every
/// Streamable HTTP session (through its event log, so `Last-Event-ID` can replay them) and every HTTP+SSE
/// stream. A resource update goes only to clients subscribed to that resource.
public struct EventFanout: Service {
    let server: MCPServer
    let sessions: SessionStore
    let connections: SSEConnectionStore

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            for await event in server.events() {
                for session in sessions.all where event.concerns(subscriptions: session.subscriptions) {
                    _ = session.record(.notification(event.notification), stream: LegacySession.standaloneStream)
                }
                for connection in connections.all { connection.deliver(event) }
            }
        }
    }
}
