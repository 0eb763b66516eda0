import Hummingbird
import MCPCore
import Testing

@testable import PierAdminAPI

@Suite struct ServerDefinitionTests {
    let policy = ServerPolicy(refusedEnvironment: { $0 == "NODE_OPTIONS" })

    func parse(_ text: String, policy: ServerPolicy? = nil) throws(AdminError) -> ServerDefinition {
        guard case .object(let body)? = try? JSONValue(parsing: text) else { fatalError("test JSON") }
        return try ServerDefinition.parse(body, policy: policy ?? self.policy)
    }

    func refusal(_ text: String, policy: ServerPolicy? = nil) -> AdminError? {
        do {
            _ = try parse(text, policy: policy)
            return nil
        } catch {
            return error
        }
    }

    @Test func theSeedsBodyReadsAsAStdioServer() throws {
        let definition = try parse(
            #"{"name": "n8n-automation", "description": "n8n", "command": "npx", "args": ["@n8n-mcp/server"], "env": {"N8N_API_KEY": "k"}, "transport_type": "stdio", "auto_restart": true}"#)
        #expect(definition.transport == .stdio(command: "npx", arguments: ["@n8n-mcp/server"], environment: ["N8N_API_KEY": "k"], workingDirectory: nil))
        #expect(definition.transportType == "stdio" && definition.environmentNames == ["N8N_API_KEY"] && definition.autoRestart)
    }

    @Test func remoteServersDefaultToStreamableHTTP() throws {
        let definition = try parse(#"{"name": "r", "url": "https://mcp.example.com/mcp", "headers": {"X-Key": "v"}}"#)
        #expect(definition.transport == .remote(url: "https://mcp.example.com/mcp", type: "streamable-http", headers: ["X-Key": "v"]))
        #expect(try parse(#"{"name": "r", "url": "http://h/sse", "transport_type": "sse"}"#).transportType == "sse")
        #expect(definition.headerNames == ["X-Key"])
    }

    @Test(arguments: [
        (#"{"command": "x"}"#, "name"),
        (#"{"name": "from-github", "command": "x"}"#, "name"),
        (#"{"name": "a", "command": "x", "url": "http://h"}"#, "url"),
        (#"{"name": "a", "command": "ls | sh"}"#, "command"),
        (#"{"name": "a", "command": "`id`"}"#, "command"),
        (#"{"name": "a", "command": "dash", "args": ["-ec", "id"]}"#, "args"),
        (#"{"name": "a", "command": "x", "env": {"NODE_OPTIONS": "--require x"}}"#, "env.NODE_OPTIONS"),
        (#"{"name": "a", "command": "x", "env": {"DYLD_INSERT_LIBRARIES": "x"}}"#, "env.DYLD_INSERT_LIBRARIES"),
        (#"{"name": "a", "command": "x", "env": {"PYTHONPATH": "/tmp"}}"#, "env.PYTHONPATH"),
        (#"{"name": "a", "command": "x", "env": {"1A": "x"}}"#, "env.1A"),
        (#"{"name": "a", "command": "x", "cwd": "relative"}"#, "cwd"),
        (#"{"name": "a", "url": "http://h", "headers": {"X": "a\r\nInjected: 1"}}"#, "headers.X"),
        (#"{"name": "a", "url": "https://user@169.254.169.254/"}"#, "url"),
        (#"{"name": "a", "command": "x", "tools": {"only": []}}"#, "tools.only"),
        (#"{"name": "a", "github_url": "https://h/r", "url": "http://h"}"#, "url"),
        (#"{"name": "a", "github_url": "-c evil"}"#, "github_url"),
    ])
    func refusalsNameTheField(body: String, field: String) {
        #expect(refusal(body)?.field == field, "\(body)")
    }

    @Test func theAllowlistRefusesOtherProgramsWith403() throws {
        let strict = ServerPolicy(allowedCommands: ["uvx", "/usr/bin/node"])
        #expect(try parse(#"{"name": "a", "command": "/opt/tools/uvx"}"#, policy: strict).name == "a")
        #expect(try parse(#"{"name": "a", "command": "/usr/bin/node"}"#, policy: strict).name == "a")
        let refused = refusal(#"{"name": "a", "command": "python3"}"#, policy: strict)
        #expect(refused?.status == .forbidden && refused?.field == "command")
        // An allowlisted shell may be given -c: the operator chose it.
        #expect(try parse(#"{"name": "a", "command": "sh", "args": ["-c", "x"]}"#, policy: ServerPolicy(allowedCommands: ["sh"])).name == "a")
    }

    @Test func allowedVariablesPassTheDenylist() throws {
        let lenient = ServerPolicy(allowedEnvironment: ["PATH"])
        #expect(try parse(#"{"name": "a", "command": "x", "env": {"PATH": "/opt/bin"}}"#, policy: lenient).environmentNames == ["PATH"])
        #expect(refusal(#"{"name": "a", "command": "x", "env": {"LD_PRELOAD": "x"}}"#, policy: lenient)?.status == .forbidden)
    }

    @Test func gitServersKeepTheirSource() throws {
        let definition = try parse(#"{"name": "g", "github_url": "file:///tmp/repo", "ref": "v1", "subdirectory": "server", "args": ["--x"]}"#)
        #expect(definition.transport == .git(GitSource(url: "file:///tmp/repo", ref: "v1", subdirectory: "server"), command: nil, arguments: ["--x"], environment: [:]))
        #expect(refusal(#"{"name": "g", "github_url": "https://h/r", "ref": "a..b"}"#)?.field == "ref")
        #expect(refusal(#"{"name": "g", "github_url": "https://h/r", "subdirectory": "a/../../b"}"#)?.field == "subdirectory")
    }

    @Test func patchesReplaceRemoveAndNeverRename() throws {
        let stored: JSONObject = ["name": "a", "command": "x", "description": "old", "args": ["1"]]
        let merged = try ServerDefinition.merge(stored, patch: ["description": "new", "args": .null, "name": "a"])
        #expect(merged["description"] == "new" && !merged.keys.contains("args") && merged["command"] == "x")
        #expect(throws: AdminError.self) { try ServerDefinition.merge(stored, patch: ["name": "b"]) }
    }
}
