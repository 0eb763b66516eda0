/// `${NAME}` references in configuration text: expanded from the environment at start-up, collected and
/// rewritten by `pier import`.
enum Placeholders {
    /// `text` with each `${name}` replaced by `replace(name)`, left to right, and whether every `${` was closed
    /// (the text from an unclosed one on is kept as it is).
    static func substitute<E: Error>(_ text: String, _ replace: (String) throws(E) -> String) throws(E) -> (text: String, closed: Bool) {
        guard text.contains("${") else { return (text, true) }
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstRange(of: "${") {
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else { return (out + rest, false) }
            out += rest[..<open.lowerBound]
            out += try replace(String(rest[open.upperBound..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return (out + rest, true)
    }

    /// The names `text` references, in order (up to an unclosed `${`).
    static func names(in text: String) -> [String] {
        var names: [String] = []
        _ = substitute(text) { name in
            names.append(name)
            return ""
        }
        return names
    }
}
