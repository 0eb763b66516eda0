import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MCP
import Testing

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// The official Swift SDK's `Client` (0.12, handshake era only) against a live Pier: over stdio, and over HTTP
/// with JSON responses (its Linux HTTP transport cannot read SSE, so Pier runs with `PIER_RESPONSE_MODE=json`).
@Suite(.serialized) struct SwiftSDKClientTests {
    /// `pier`, built beside this test bundle.
    static var pier: String {
        if let path = ProcessInfo.processInfo.environment["PIER_BIN"] { return path }
        return URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent().appendingPathComponent("pier").path
    }

    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["PIER_DATA_DIR"] = NSTemporaryDirectory() + "pier-swiftsdk-" + UUID().uuidString
        env["LOG_LEVEL"] = "warning"
        for (k, v) in extra { env[k] = v }
        return env
    }

    @Test func stdioListAndCall() async throws {
        let toPier = Pipe()
        let fromPier = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.pier)
        process.arguments = ["serve", "--stdio", "--app", "demo", "--app", "conformance"]
        process.environment = Self.environment()
        process.standardInput = toPier
        process.standardOutput = fromPier
        try process.run()
        defer {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
        let transport = StdioTransport(
            input: FileDescriptor(rawValue: fromPier.fileHandleForReading.fileDescriptor),
            output: FileDescriptor(rawValue: toPier.fileHandleForWriting.fileDescriptor))
        let client = Client(name: "swift-sdk-interop", version: "1.0")
        let initialized = try await client.connect(transport: transport)
        #expect(initialized.serverInfo.name == "pier")
        try await roundTrips(client)
        await client.disconnect()
        try toPier.fileHandleForWriting.close()
    }

    @Test func httpJSONListAndCall() async throws {
        let port = Int.random(in: 20_000...40_000)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.pier)
        process.arguments = ["serve", "--port", String(port), "--app", "demo", "--app", "conformance"]
        process.environment = Self.environment(["PIER_RESPONSE_MODE": "json"])
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let endpoint = URL(string: "http://127.0.0.1:\(port)/mcp")!
        try await Self.waitUntilHealthy(URL(string: "http://127.0.0.1:\(port)/health")!)
        let client = Client(name: "swift-sdk-interop", version: "1.0")
        let initialized = try await client.connect(transport: HTTPClientTransport(endpoint: endpoint, streaming: false))
        #expect(initialized.serverInfo.name == "pier")
        try await roundTrips(client)
        await client.disconnect()
    }

    func roundTrips(_ client: Client) async throws {
        var names: [String] = []
        var cursor: String?
        repeat {
            let page = try await client.listTools(cursor: cursor)
            names += page.tools.map(\.name)
            cursor = page.nextCursor
        } while cursor != nil
        #expect(names.contains("echo") && names.contains("test_simple_text"))
        let echo = try await client.callTool(name: "echo", arguments: ["text": "from the Swift SDK"])
        #expect(echo.isError != true)
        guard case .text(let text, _, _)? = echo.content.first else {
            Issue.record("expected text content, got \(echo.content)")
            return
        }
        #expect(text == "from the Swift SDK")
        let failing = try await client.callTool(name: "echo", arguments: [:])
        #expect(failing.isError == true)
    }

    static func waitUntilHealthy(_ url: URL) async throws {
        for _ in 0..<100 {
            if let (_, response) = try? await URLSession.shared.data(from: url), (response as? HTTPURLResponse)?.statusCode == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("pier did not become healthy")
    }
}
