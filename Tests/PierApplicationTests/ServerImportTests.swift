import Foundation
import MCPCore
import PierApplication
import Testing

@Suite struct ServerImportTests {
    func temporary(_ name: String, _ text: String? = nil) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pier-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent(".vscode"), withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        if let text { try text.write(toFile: path, atomically: true, encoding: .utf8) }
        return path
    }

    @Test func vsCodeInputsAndWorkspaceFolderBecomePierReferences() throws {
        let document = try JSONValue(parsing: """
            {"inputs": [{"id": "api-key", "description": "The key"}],
             "servers": {"remote": {"type": "http", "url": "https://x.example/mcp", "headers": {"X-Key": "${input:api-key}"}, "gallery": true},
                         "files": {"type": "stdio", "command": "srv", "args": ["${workspaceFolder}/data"], "env": {"P": "${env:PATH}"}}}}
            """)
        let imported = try ServerImport.read(document, path: "/home/u/project/.vscode/mcp.json")
        #expect(imported.format == "VS Code")
        let remote = imported.entries[0]
        #expect(remote.value["headers"]?["X-Key"] == "${API_KEY}")
        #expect(remote.value["type"] == "http" && remote.value["gallery"] == nil)
        #expect(remote.notes.contains { $0.contains("API_KEY") && $0.contains("The key") })
        #expect(remote.notes.contains { $0.contains("gallery") })
        let files = imported.entries[1]
        #expect(files.value["args"] == ["/home/u/project/data"])
        #expect(files.value["env"]?["P"] == "${PATH}")
        #expect(files.value["type"] == nil)
    }

    @Test func windsurfServerURLsBecomeURLs() throws {
        let imported = try ServerImport.read(try JSONValue(parsing: #"{"mcpServers": {"w": {"serverUrl": "https://w.example/sse", "disabled": true}}}"#), path: "/x.json")
        #expect(imported.format == "Windsurf")
        #expect(imported.entries[0].value == ["url": "https://w.example/sse", "enabled": false])
    }

    @Test func importKeepsTheRestOfTheConfigAndRefusesExistingNames() throws {
        let target = try temporary("pier.json", #"{"port": 9000, "mcpServers": {"time": {"command": "old"}}}"#)
        let source = try temporary("claude_desktop_config.json", #"{"mcpServers": {"time": {"command": "uvx", "args": ["mcp-server-time"]}, "gh": {"url": "https://gh.example/mcp"}}}"#)
        let report = try PierCommands.importServers(from: source, into: target, replace: false)
        #expect(report.added == ["gh"] && report.refused == ["time"])
        let written = try PierConfiguration.load(file: target, environment: [:])
        #expect(written.port == 9000)
        #expect(written.upstreams.map(\.name) == ["time", "gh"])
        #expect(written.upstreams[0].transport == .stdio(command: "old", arguments: [], environment: [:], workingDirectory: nil))
        let replaced = try PierCommands.importServers(from: source, into: target, replace: true)
        #expect(replaced.replaced == ["time", "gh"])
        #expect(try PierConfiguration.load(file: target, environment: [:]).upstreams[0].transport
            == .stdio(command: "uvx", arguments: ["mcp-server-time"], environment: [:], workingDirectory: nil))
    }

    @Test func anEntryPierCannotServeIsRefusedWithItsName() throws {
        let target = try temporary("pier.json")
        let source = try temporary("mcp.json", #"{"mcpServers": {"bad": {"command": "x", "env": {"LD_PRELOAD": "/evil.so"}}}}"#)
        #expect { try PierCommands.importServers(from: source, into: target, replace: false) } throws: { error in
            (error as? StartupError)?.message.contains("bad") == true && (error as? StartupError)?.exitCode == 78
        }
        #expect(!FileManager.default.fileExists(atPath: target))
    }
}
