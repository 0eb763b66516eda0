import Foundation
import Logging
import MCPClient
import MCPCore
import PierGateway
import PierServer
import PierUpstreamStdio
import Testing

/// No child process outlives its upstream's removal, whatever it started: 50 cycles of start, crash (SIGKILL),
/// restart and remove (the service cancelled, as removing the server does), with children that leave a
/// grandchild of their own behind.
@Suite struct ChildCleanupTests {
    /// The members of process group `group` still alive (zombies excluded).
    static func members(of group: Int32) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, fields[0] != "Z", Int32(fields[2]) == group else { return nil }
            return pid
        }
    }

    static func until(_ limit: Duration, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + limit
        while !condition() {
            guard ContinuousClock.now < deadline else { return }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    @Test func fiftyStartCrashRemoveCyclesLeaveNoProcess() async throws {
        let logger = Logger(label: "test")
        let server = try MCPServer(info: .init(name: "t", version: "0"), apps: [])
        var groups: [Int32] = []
        for batch in 0..<5 {
            let started = try await withThrowingTaskGroup(of: [Int32].self) { group in
                for cycle in 0..<10 {
                    group.addTask {
                        // A child that starts a grandchild in its group and then waits: killing only the child would leak it.
                        let transport = StdioClientTransport(
                            command: StdioCommand(
                                command: "/bin/sh", arguments: ["-c", "sleep 600 & sleep 600"], environment: ChildEnvironment.build(declared: [:], parent: [:])),
                            serverName: "cycle-\(batch)-\(cycle)", gracePeriod: .milliseconds(500), logger: logger)
                        let spec = UpstreamSpec(
                            name: "cycle\(batch)x\(cycle)", naming: ToolNaming(prefix: "c\(batch)x\(cycle)"), kind: "stdio", transports: [{ transport }],
                            isChildProcess: true)
                        let service = UpstreamService(spec: spec, server: server, configuration: .init(clientInfo: ["name": "pier", "version": "0"]), logger: logger)
                        return try await withThrowingTaskGroup(of: Void.self) { running in
                            running.addTask { try await service.run() }
                            var seen: [Int32] = []
                            try await Self.until(.seconds(10)) { transport.pid != nil }
                            if let first = transport.pid {
                                seen.append(first)
                                kill(first, SIGKILL)  // the crash
                                try await Self.until(.seconds(10)) { transport.pid != nil && transport.pid != first }
                                if let second = transport.pid, second != first { seen.append(second) }
                            }
                            running.cancelAll()  // the removal
                            try await running.waitForAll()
                            return seen
                        }
                    }
                }
                var all: [Int32] = []
                for try await pids in group { all += pids }
                return all
            }
            groups += started
        }
        #expect(groups.count == 100, "every cycle started its child and restarted it after the crash")
        for group in groups {
            #expect(Self.members(of: group).isEmpty, "process group \(group) outlived its upstream")
        }
    }

    /// A child that closed its input (or died) makes the write fail; it must not kill Pier with SIGPIPE.
    @Test func writingToAChildThatClosedItsInputIsAnError() async throws {
        let transport = StdioClientTransport(
            command: StdioCommand(command: "/bin/sh", arguments: ["-c", "exec 0<&-; sleep 2"], environment: ChildEnvironment.build(declared: [:], parent: [:])),
            serverName: "closed-input", logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try? await transport.run(connected: {}, deliver: { _ in }) }
            try await Self.until(.seconds(10)) { transport.pid != nil }
            try await Task.sleep(for: .milliseconds(200))
            await #expect(throws: ClientTransportError.self) {
                try await transport.send(Outbound(.notification(JSONRPCNotification(method: "notifications/initialized"))), replies: { _ in })
            }
            group.cancelAll()
        }
    }
}
