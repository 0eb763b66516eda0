import Foundation
import Logging
import MCPClient
import MCPCore
import PierGateway
import PierServer
import PierUpstreamStdio
import Testing

/// Upstreams added, stopped, started, restarted and removed while the gateway runs, with real child processes:
/// each operation returns only once the processes it ended are gone.
@Suite struct GatewayLifecycleTests {
    let logger = Logger(label: "test")

    /// An upstream whose child starts a grandchild in its group and waits (it never speaks MCP: the processes are
    /// what is under test).
    func upstream(_ name: String, server: MCPServer) -> (UpstreamService, StdioClientTransport) {
        let transport = StdioClientTransport(
            command: StdioCommand(command: "/bin/sh", arguments: ["-c", "sleep 600 & sleep 600"], environment: ChildEnvironment.build(declared: [:], parent: [:])),
            serverName: name, gracePeriod: .milliseconds(500), logger: logger)
        let spec = UpstreamSpec(name: name, naming: ToolNaming(prefix: name), kind: "stdio", transports: [{ transport }], isChildProcess: true)
        return (UpstreamService(spec: spec, server: server, configuration: .init(clientInfo: ["name": "pier", "version": "0"]), logger: logger), transport)
    }

    func pid(of transport: StdioClientTransport, not old: Int32? = nil) async throws -> Int32 {
        try await ChildCleanupTests.until(.seconds(10)) { transport.pid != nil && transport.pid != old }
        return try #require(transport.pid)
    }

    @Test func upstreamsComeAndGoWhileTheGatewayRuns() async throws {
        let server = try MCPServer(info: .init(name: "t", version: "0"), apps: [])
        let (first, firstTransport) = upstream("first", server: server)
        let gateway = Gateway(upstreams: [first], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await gateway.run() }
            let one = try await pid(of: firstTransport)

            // Added live, and refused under a name that is taken.
            let (second, secondTransport) = upstream("second", server: server)
            try gateway.add(second)
            #expect(throws: GatewayError.self) { try gateway.add(upstream("second", server: server).0) }
            let two = try await pid(of: secondTransport)

            // Restart: a new process, the old group gone by the time it returns.
            #expect(await gateway.restart(named: "first"))
            let three = try await pid(of: firstTransport, not: one)
            #expect(ChildCleanupTests.members(of: one).isEmpty)

            // Stop, then start again.
            #expect(await gateway.stop(named: "second"))
            #expect(ChildCleanupTests.members(of: two).isEmpty && secondTransport.pid == nil)
            #expect(gateway.statuses.first { $0.name == "second" }?.phase == .stopped)
            #expect(gateway.start(named: "second"))
            let four = try await pid(of: secondTransport, not: two)

            // Remove: gone from the gateway, its processes gone.
            #expect(await gateway.remove(named: "second"))
            #expect(ChildCleanupTests.members(of: four).isEmpty)
            #expect(gateway.upstreams.map(\.spec.name) == ["first"])
            #expect(await gateway.remove(named: "nobody") == false)

            // Stopping the gateway stops the rest.
            group.cancelAll()
            try? await group.waitForAll()
            #expect(ChildCleanupTests.members(of: three).isEmpty)
        }
    }
}
