import PierServer
import ServiceLifecycle

/// Runs the server's tasks (tools called as tasks) for as long as Pier runs; shutting down cancels those still
/// running, and their clients see them fail.
struct TaskService: Service {
    let server: MCPServer

    func run() async throws {
        await cancelWhenGracefulShutdown { await server.runTasks() }
    }
}
