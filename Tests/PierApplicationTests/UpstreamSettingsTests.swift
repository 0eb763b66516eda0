import Foundation
import MCPCore
import PierApplication
import PierServer
import Testing

@Suite struct UpstreamSettingsTests {
    func load(_ json: String, environment: [String: String] = [:]) throws -> PierConfiguration {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pier-upstreams-\(UUID().uuidString).json").path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try PierConfiguration.load(file: path, environment: environment)
    }

    /// Each config is refused at start-up with an error whose key starts with the one given.
    func expectRefused(_ cases: [(json: String, key: String)], sourceLocation: SourceLocation = #_sourceLocation) {
        for (json, key) in cases {
            do {
                _ = try load(json)
                Issue.record("\(json) was accepted", sourceLocation: sourceLocation)
            } catch let error as ConfigurationError {
                #expect(error.key.hasPrefix(key), "\(json) → \(error.key)", sourceLocation: sourceLocation)
            } catch {
                Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func claudeDesktopEntriesParseAsTheyAre() throws {
        let config = try load(
            """
            {"mcpServers": {
              "time": {"command": "uvx", "args": ["mcp-server-time"], "env": {"TZ": "UTC", "TOKEN": "${GH_TOKEN}"}},
              "remote": {"url": "https://example.com/${PATH_PART}/mcp", "headers": {"Authorization": "Bearer ${GH_TOKEN}"}},
              "legacy": {"url": "http://127.0.0.1:9/sse", "type": "sse", "prefix": "", "timeout_seconds": 5, "max_concurrency": 4,
                         "tools": {"include": ["get_*"], "exclude": ["get_secret"]}, "auto_restart": false},
              "off": {"command": "x", "enabled": false}
            }, "tool_separator": "-"}
            """, environment: ["GH_TOKEN": "t0k", "PATH_PART": "v1"])
        #expect(config.upstreams.map(\.name) == ["time", "remote", "legacy", "off"])
        #expect(config.upstreams[0].transport == .stdio(command: "uvx", arguments: ["mcp-server-time"], environment: ["TZ": "UTC", "TOKEN": "t0k"], workingDirectory: nil))
        #expect(config.upstreams[1].transport == .remote(url: "https://example.com/v1/mcp", type: "auto", headers: ["Authorization": "Bearer t0k"]))
        let legacy = config.upstreams[2]
        #expect(legacy.transport == .remote(url: "http://127.0.0.1:9/sse", type: "sse", headers: [:]))
        #expect(legacy.effectivePrefix == "" && legacy.timeoutSeconds == 5 && legacy.maximumConcurrency == 4 && !legacy.autoRestart)
        #expect(legacy.include == ["get_*"] && legacy.exclude == ["get_secret"])
        #expect(!config.upstreams[3].enabled)
        #expect(config.toolSeparator == "-")
    }

    @Test func aMissingVariableIsNamedButNoValueIsShown() {
        #expect {
            try load(#"{"mcpServers": {"gh": {"url": "https://x.example/mcp", "headers": {"Authorization": "Bearer ${NOPE}"}}}}"#)
        } throws: { error in
            guard let e = error as? ConfigurationError else { return false }
            return e.key.hasPrefix("mcpServers.gh.headers.Authorization") && e.description.contains("NOPE") && !e.description.contains("Bearer")
        }
    }

    @Test func badEntriesStopStartUpNamingTheKey() {
        let cases: [(String, String)] = [
            (#"{"mcpServers": {"a": {"args": ["x"]}}}"#, "mcpServers.a"),
            (#"{"mcpServers": {"a": {"url": "ftp://x"}}}"#, "mcpServers.a.url"),
            (#"{"mcpServers": {"a": {"url": "http://x.example", "type": "websocket"}}}"#, "mcpServers.a.type"),
            (#"{"mcpServers": {"a": {"command": "x", "env": {"LD_PRELOAD": "/evil.so"}}}}"#, "mcpServers.a.env"),
            (#"{"mcpServers": {"a": {"command": "x", "comand": "y"}}}"#, "mcpServers.a"),
            (#"{"mcpServers": {"a b": {"command": "x"}}}"#, "mcpServers"),
            (#"{"mcpServers": {"a": {"command": "x", "timeout_seconds": -1}}}"#, "mcpServers.a.timeout_seconds"),
            (#"{"mcpServers": {"a": {"command": "x", "prefix": "p"}, "b": {"command": "y", "prefix": "p"}}}"#, "mcpServers.b.prefix"),
        ]
        expectRefused(cases)
    }

    @Test func connectorsParseAndNameTheirServers() throws {
        let config = try load(
            """
            {"apps": ["demo"], "mcpServers": {"gh": {"url": "https://gh.example/mcp"}},
             "connectors": {"docs": {"servers": ["gh", "demo"], "read_only": true, "title": "Docs", "tools": {"exclude": ["*delete*"]},
                                     "overlays": {"gh__search": {"name": "search_docs", "fixed": {"repo": "pier"}, "defaults": {"limit": 5}}}}}}
            """)
        let docs = try #require(config.connectors.first)
        #expect(docs.name == "docs" && docs.readOnly && docs.exclude == ["*delete*"] && docs.title == "Docs")
        #expect(config.sources(of: docs) == ["upstream/gh", "demo"])
        #expect(docs.overlays["gh__search"]?.name == "search_docs" && docs.overlays["gh__search"]?.fixed["repo"] == "pier")
    }

    @Test func badConnectorsStopStartUp() {
        let cases: [(String, String)] = [
            (#"{"connectors": {"readonly": {}}}"#, "connectors"),
            (#"{"connectors": {"x": {"servers": ["nowhere"]}}}"#, "connectors.x.servers"),
            (#"{"connectors": {"x": {"sources": []}}}"#, "connectors.x"),
            (#"{"connectors": {"x": {"overlays": {"t": {"rename": "y"}}}}}"#, "connectors.x.overlays.t"),
            (#"{"connectors": {"x": {"overlays": {"t": {"name": "a.b"}}}}}"#, "connectors.x.overlays.t.name"),
        ]
        expectRefused(cases)
    }
}
