/// How both database backends store a list of strings (scopes, redirect URIs): newline-separated, since
/// neither a scope nor a URI may contain a newline.
public enum ListColumn {
    public static func encode(_ items: [String]) -> String { items.joined(separator: "\n") }
    public static func decode(_ text: String) -> [String] {
        text.isEmpty ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}
