import HTTPTypes
public import Hummingbird

/// What a trusted proxy says about a request: RFC 7239 `Forwarded` (`for`, `proto`, `host` of its first element),
/// else `X-Forwarded-For`, `-Proto`, `-Host` (their first entry). Read only when the operator says a proxy is in
/// front (`trust_forwarded_headers`): anyone can send these headers.
public enum Forwarded {
    /// The first element of a `Forwarded` header, by lower-cased parameter name, with quoted values unquoted.
    public static func element(_ value: String?) -> [String: String] {
        guard let value else { return [:] }
        var fields: [String: String] = [:]
        var rest = Substring(value)
        while let first = rest.first, first == " " || first == "\t" || first == ";" { rest = rest.dropFirst() }
        while !rest.isEmpty {
            guard let equals = rest.firstIndex(of: "=") else { break }
            let name = rest[..<equals].trimmingCharacters(" \t").lowercased()
            rest = rest[rest.index(after: equals)...]
            var parsed = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                while let c = rest.first {
                    rest = rest.dropFirst()
                    if escaped {
                        parsed.append(c)
                        escaped = false
                    } else if c == "\\" {
                        escaped = true
                    } else if c == "\"" {
                        break
                    } else {
                        parsed.append(c)
                    }
                }
            }
            let end = rest.firstIndex { $0 == ";" || $0 == "," } ?? rest.endIndex
            parsed += rest[..<end].trimmingCharacters(" \t")
            if !name.isEmpty, fields[name] == nil { fields[name] = parsed }
            // The first element only: later ones are proxies further along.
            guard end < rest.endIndex, rest[end] == ";" else { break }
            rest = rest[rest.index(after: end)...]
        }
        return fields
    }

    /// The first comma-separated entry of an `X-Forwarded-*` header, without spaces or tabs; `nil` when empty.
    public static func first(_ value: String?) -> String? {
        guard let part = value?.split(separator: ",").first else { return nil }
        let trimmed = part.trimmingCharacters(" \t")
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The client's address: behind a trusted proxy `Forwarded: for=` (an IPv6 `[…]` and a port taken off) or
    /// the first `X-Forwarded-For`, else the peer's (`unknown` when there is none).
    public static func clientAddress(_ request: Request, peer: String?, trusted: Bool) -> String {
        guard trusted else { return peer ?? "unknown" }
        if let node = element(request.headers[.forwarded])["for"], !node.isEmpty { return address(ofNode: node) }
        if let address = first(request.headers[HTTPField.Name("X-Forwarded-For")!]) { return address }
        return peer ?? "unknown"
    }

    /// The public host the client used, behind a trusted proxy: `Forwarded: host=` or `X-Forwarded-Host`.
    public static func host(_ request: Request, trusted: Bool) -> String? {
        guard trusted else { return nil }
        if let host = element(request.headers[.forwarded])["host"], !host.isEmpty { return host }
        return first(request.headers[HTTPField.Name("X-Forwarded-Host")!])
    }

    /// The scheme the client used (`http` or `https`), behind a trusted proxy: `Forwarded: proto=` or
    /// `X-Forwarded-Proto`.
    public static func scheme(_ request: Request, trusted: Bool) -> String? {
        guard trusted else { return nil }
        let proto = (element(request.headers[.forwarded])["proto"] ?? first(request.headers[HTTPField.Name("X-Forwarded-Proto")!]))?.lowercased()
        return proto == "https" || proto == "http" ? proto : nil
    }

    /// `for=` as an address: `[2001:db8::1]:4711` is `2001:db8::1`, `192.0.2.1:80` is `192.0.2.1`; `unknown` and
    /// obfuscated names (`_hidden`) stay as they are.
    static func address(ofNode node: String) -> String {
        if node.hasPrefix("["), let end = node.firstIndex(of: "]") { return String(node[node.index(after: node.startIndex)..<end]) }
        let colons = node.filter { $0 == ":" }.count
        if colons == 1, let colon = node.firstIndex(of: ":") { return String(node[..<colon]) }
        return node
    }
}

extension HTTPField.Name {
    /// RFC 7239.
    static let forwarded = HTTPField.Name("Forwarded")!
}
