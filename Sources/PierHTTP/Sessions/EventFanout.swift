import MCPCore
import PierServer
public import ServiceLifecycle

/// Delivers server events (list changes, resource updates) to handshake-era clients: the GET stream of every
/// Streamable HTTP session (through its event log, so `Last-Event-ID` can replay them) and every HTTP+SSE stream,
/// each as its connection says (a resource update only to clients subscribed to that resource).
public struct EventFanout: Service {
    let server: MCPServer
    let sessions: SessionStore
    let connections: SSEConnectionStore

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            for await event in server.events() {
                for session in sessions.all {
                    for notification in session.connection.notifications(for: event) {
                        _ = session.record(.notification(notification), stream: LegacySession.standaloneStream)
                    }
                }
                for connection in connections.all { connection.deliver(event) }
            }
        }
    }
}
