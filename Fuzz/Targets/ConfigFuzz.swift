/// libFuzzer target: server entries as they are read from config files: another client's file for `pier import`
/// (Claude Desktop, Cursor, VS Code, Windsurf) and each entry of Pier's own `mcpServers`. Every input is read or
/// refused with a ``ConfigurationError``; an imported entry that Pier accepts reads the same when read again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let document = try? JSONValue(parsing: UnsafeRawBufferPointer(start: data, count: size), maxDepth: 32) else { return 0 }
    let environment = ["TOKEN": "secret", "HOME": "/home/u"]
    if let imported = try? ServerImport.read(document, path: "/work/project/.vscode/mcp.json") {
        for entry in imported.entries {
            guard let first = try? UpstreamSettings.parse(name: entry.name, entry.value, file: "pier.json", environment: environment) else { continue }
            let second = try? UpstreamSettings.parse(name: entry.name, entry.value, file: "pier.json", environment: environment)
            precondition(second == first, "reading an entry twice gave two answers")
        }
    }
    if case .object(let root) = document, case .object(let servers)? = root["mcpServers"] {
        for member in servers { _ = try? UpstreamSettings.parse(name: member.key, member.value, file: "pier.json", environment: environment) }
    }
    return 0
}
