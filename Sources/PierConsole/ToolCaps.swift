/// The tool counts past which well-known MCP clients drop tools without a word.
enum ToolCaps {
    /// Client, the number of tools it takes.
    static let known: [(client: String, limit: Int)] = [("Cursor", 40), ("Windsurf", 50), ("VS Code", 128), ("the OpenAI API", 128)]

    /// What an endpoint listing `count` tools loses, or `nil` when every known client takes them all.
    static func warning(for count: Int) -> String? {
        let over = known.filter { count > $0.limit }
        guard !over.isEmpty else { return nil }
        let names = over.map { "\($0.client) (\($0.limit))" }.joined(separator: ", ")
        return "\(count) tools is more than \(names) take; they drop the rest without a word. Split the tools into connectors."
    }
}
