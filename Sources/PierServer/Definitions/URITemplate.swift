/// A level-1 RFC 6570 URI template (`{name}` expressions only), able to match concrete URIs.
public struct URITemplate: Sendable, Equatable {
    enum Part: Equatable {
        case literal(String)
        case variable(String)
    }

    /// The template as written.
    public let pattern: String
    let parts: [Part]

    public init(_ pattern: String) {
        self.pattern = pattern
        var parts: [Part] = []
        var literal = ""
        var variable: String?
        for ch in pattern {
            if var v = variable {
                if ch == "}" {
                    parts.append(.variable(v))
                    variable = nil
                } else {
                    v.append(ch)
                    variable = v
                }
            } else if ch == "{" {
                if !literal.isEmpty { parts.append(.literal(literal)) }
                literal = ""
                variable = ""
            } else {
                literal.append(ch)
            }
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        self.parts = parts
    }

    /// The variable names, in order.
    public var variables: [String] {
        parts.compactMap { if case .variable(let v) = $0 { return v } else { return nil } }
    }

    /// The variables of `uri` when it matches; a variable matches one or more characters other than `/`.
    public func match(_ uri: String) -> [String: String]? {
        var rest = Substring(uri)
        var values: [String: String] = [:]
        for (i, part) in parts.enumerated() {
            switch part {
            case .literal(let l):
                guard rest.hasPrefix(l) else { return nil }
                rest = rest.dropFirst(l.count)
            case .variable(let name):
                let stop: String? = i + 1 < parts.count ? { if case .literal(let l) = parts[i + 1] { return l } else { return nil } }() : nil
                var end = rest.endIndex
                if let stop, let r = rest.firstRange(of: stop) { end = r.lowerBound } else if stop != nil { return nil }
                let value = rest[rest.startIndex..<end]
                guard !value.isEmpty, !value.contains("/") else { return nil }
                values[name] = String(value)
                rest = rest[end...]
            }
        }
        return rest.isEmpty ? values : nil
    }
}
