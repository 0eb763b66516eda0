import MCPCore
import PierAdminAPI
import PierHTTP
import PierServer
import ServiceLifecycle

/// Joins this instance to the others over the ``ClusterBus``: passes on the resource changes made here, and hands
/// what the others send to the part it concerns (the server, the registry, each endpoint's sessions and streams).
struct ClusterLink: Service {
    let bus: any ClusterBus
    let server: MCPServer
    let endpoints: [MCPEndpoint]
    let manager: ServerManager

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    // List changes are not passed on: every instance's catalogue changes itself (the registry is
                    // shared), and its own clients hear it from there.
                    for await event in server.localEvents() {
                        guard case .resourceUpdated(let uri) = event else { continue }
                        await bus.publish(ClusterMessage(.resourceUpdated, ["uri": .string(uri)]))
                    }
                }
                for await message in bus.messages() {
                    switch message.topic {
                    case .resourceUpdated:
                        if let uri = message["uri"] { server.receiveClusterEvent(.resourceUpdated(uri: uri)) }
                    case .registryChanged:
                        manager.registryChanged()
                    case .taskMessage:
                        if let id = message["task"] { server.wakeTask(id) }
                    default:
                        for endpoint in endpoints {
                            if let work = await endpoint.receive(message) { group.addTask { await work() } }
                        }
                    }
                }
                group.cancelAll()
            }
        }
    }
}
