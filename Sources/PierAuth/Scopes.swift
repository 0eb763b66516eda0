/// Pier's scopes: `mcp:read` for lists, reads and tools that change nothing (`readOnlyHint`), `mcp:write` for
/// every other tool.
public enum Scopes {
    public static let read = "mcp:read"
    public static let write = "mcp:write"
    public static let supported = [read, write]
    /// OpenID Connect's scopes: an ID token (`openid`) with the user's email (`email`) and name (`profile`).
    /// They give no access to tools; every client may ask for them (ChatGPT asks for what the metadata offers).
    public static let identity = ["openid", "email", "profile"]
    /// Every scope the authorization server grants.
    public static let offered = supported + identity

    /// The scopes of a space-separated `scope` parameter, in order, without repeats.
    public static func parse(_ text: String?) -> [String] {
        var seen: Set<String> = []
        return (text ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init).filter { seen.insert($0).inserted }
    }

    /// What a tool call needs.
    public static func needed(readOnly: Bool) -> String { readOnly ? read : write }

    /// `true` when `granted` allows what `needed` names (`mcp:write` includes `mcp:read`).
    public static func allows(_ granted: Set<String>, _ needed: String) -> Bool {
        granted.contains(needed) || (needed == read && granted.contains(write))
    }
}
