import MCPCore

extension DoctorRun {
    /// Names, titles, descriptions, hints and schemas of every tool, and how many there are.
    mutating func checkTools(_ tools: [JSONValue]) {
        guard !tools.isEmpty else {
            add("tools", .warning, "the server lists no tools: ChatGPT will show \"No tools found\"", fix: "register tools, or check the filters of this connector")
            return
        }
        add("tools", .pass, "\(tools.count) tools listed")
        if tools.count > 128 {
            add("tools", .warning, "\(tools.count) tools: VS Code and the OpenAI API take 128 and drop the rest", fix: "split the tools into connectors")
        } else if tools.count > 40 {
            add("tools", .warning, "\(tools.count) tools: Cursor takes 40 and drops the rest without a word", fix: "split the tools into connectors")
        }
        var seen: Set<String> = []
        var problems: [String: [String]] = [:]
        for tool in tools {
            let name = tool["name"]?.stringValue ?? ""
            if !seen.insert(name).inserted { problems["duplicate", default: []].append(name) }
            if !Self.isMCPName(name) { problems["mcpName", default: []].append(name) } else if !Self.isOpenAIName(name) { problems["openaiName", default: []].append(name) }
            if (tool["title"]?.stringValue ?? tool["annotations"]?["title"]?.stringValue ?? "").isEmpty { problems["title", default: []].append(name) }
            let description = tool["description"]?.stringValue ?? ""
            if description.isEmpty { problems["description", default: []].append(name) } else if description.count < 20 { problems["shortDescription", default: []].append(name) }
            let annotations = tool["annotations"]?.objectValue ?? [:]
            let missing = ["readOnlyHint", "destructiveHint", "openWorldHint"].filter { annotations[$0] == nil }
            if !missing.isEmpty { problems["hints", default: []].append(name) }
            if tool["inputSchema"]?["type"]?.stringValue != "object" { problems["schema", default: []].append(name) }
            if signsIn, tool["securitySchemes"] == nil, tool["_meta"]?["securitySchemes"] == nil { problems["schemes", default: []].append(name) }
        }
        report(problems["duplicate"], .blocking, "tools share a name", fix: "give every tool its own name")
        report(problems["mcpName"], .blocking, "names are not 1–128 characters of A-Z a-z 0-9 _ . -", fix: "rename them: MCP allows only these characters")
        report(problems["openaiName"], .warning, "names have a dot or are over 64 characters, which OpenAI's function names do not allow", fix: "use A-Z a-z 0-9 _ - and at most 64 characters")
        report(problems["title"], .warning, "tools have no title", fix: "give each a short human title (ChatGPT shows it)")
        report(problems["description"], .blocking, "tools have no description: the model cannot know when to use them", fix: "describe each: \"Use this when…\"")
        report(problems["shortDescription"], .warning, "tools have a description under 20 characters", fix: "say what the tool does and when to use it")
        report(problems["hints"], .warning, "tools lack readOnlyHint, destructiveHint or openWorldHint (app review requires all three)", fix: "set the three hints truthfully on every tool")
        report(problems["schema"], .blocking, "tools have no inputSchema of type object", fix: "give each an inputSchema {\"type\": \"object\", …}")
        report(problems["schemes"], .warning, "tools declare no securitySchemes, from which ChatGPT decides per tool whether to sign in",
            fix: "declare securitySchemes ([{\"type\": \"oauth2\", \"scopes\": […]}] or noauth) on every tool, and mirror them in _meta")
        let failed = ["duplicate", "mcpName", "openaiName", "title", "description", "shortDescription", "hints", "schema", "schemes"].contains { problems[$0] != nil }
        if !failed { add("tools", .pass, "every tool has a good name, a title, a description, the three hints and an input schema") }
    }

    mutating func report(_ names: [String]?, _ level: Finding.Level, _ what: String, fix: String) {
        guard let names, !names.isEmpty else { return }
        let shown = names.prefix(5).joined(separator: ", ") + (names.count > 5 ? " and \(names.count - 5) more" : "")
        add("tools", level, "\(names.count) \(what): \(shown)", fix: fix)
    }

    static func isMCPName(_ name: String) -> Bool {
        (1...128).contains(name.utf8.count) && name.utf8.allSatisfy { isWordByte($0) || $0 == UInt8(ascii: ".") }
    }

    static func isOpenAIName(_ name: String) -> Bool { name.utf8.count <= 64 && name.utf8.allSatisfy(isWordByte) }

    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
    }
}
