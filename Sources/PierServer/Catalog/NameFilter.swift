/// Names kept by glob patterns (`*` any run of characters, `?` one character): a name is kept when it matches an
/// `include` pattern (or `include` is empty) and no `exclude` pattern.
public struct NameFilter: Sendable, Equatable {
    public var include: [String]
    public var exclude: [String]

    public init(include: [String] = [], exclude: [String] = []) {
        self.include = include
        self.exclude = exclude
    }

    var isEverything: Bool { include.isEmpty && exclude.isEmpty }

    /// Whether `name` is kept.
    public func admits(_ name: String) -> Bool {
        if !include.isEmpty, !include.contains(where: { Self.matches(name, pattern: $0) }) { return false }
        return !exclude.contains { Self.matches(name, pattern: $0) }
    }

    /// Glob matching over Unicode scalars, linear in practice (greedy `*` with backtracking to the last star).
    static func matches(_ name: String, pattern: String) -> Bool {
        let text = Array(name.unicodeScalars)
        let glob = Array(pattern.unicodeScalars)
        var t = 0
        var g = 0
        var star: Int?
        var resume = 0
        while t < text.count {
            if g < glob.count, glob[g] == "?" || (glob[g] != "*" && glob[g] == text[t]) {
                t += 1
                g += 1
            } else if g < glob.count, glob[g] == "*" {
                star = g
                resume = t
                g += 1
            } else if let s = star {
                g = s + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while g < glob.count, glob[g] == "*" { g += 1 }
        return g == glob.count
    }
}
