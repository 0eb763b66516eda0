/// Which network addresses Pier may fetch a client's metadata from: public unicast only. Loopback, private
/// (RFC 1918, unique-local), carrier-grade NAT, link-local (the cloud metadata services live there), multicast,
/// reserved and unspecified addresses are refused, and so are IPv6 forms that embed one (IPv4-mapped, NAT64,
/// 6to4). Checked on the address a socket is about to connect to, so DNS rebinding cannot slip past it.
public struct AddressPolicy: Sendable, Equatable {
    /// Loopback allowed (a test switch for a document served by the test itself); never on by default.
    public var allowsLoopback: Bool

    public init(allowsLoopback: Bool = false) {
        self.allowsLoopback = allowsLoopback
    }

    /// Why the address (4 or 16 bytes, network order) is refused, or nil when it may be reached.
    public func refusal(_ bytes: [UInt8]) -> String? {
        switch bytes.count {
        case 4: refusalV4(bytes)
        case 16: refusalV6(bytes)
        default: "not an IP address"
        }
    }

    func refusalV4(_ b: [UInt8]) -> String? {
        switch (b[0], b[1]) {
        case (127, _): allowsLoopback ? nil : "a loopback address"
        case (0, _): "an unspecified address"
        case (10, _), (172, 16...31), (192, 168): "a private address"
        case (100, 64...127): "a carrier-grade NAT address"
        case (169, 254): "a link-local address (cloud metadata lives there)"
        case (192, 0) where b[2] == 0 || b[2] == 2: "a reserved address"
        case (198, 18...19): "a reserved address"
        case (198, 51) where b[2] == 100: "a documentation address"
        case (203, 0) where b[2] == 113: "a documentation address"
        case (224...239, _): "a multicast address"
        case (240...255, _): "a reserved address"
        default: nil
        }
    }

    func refusalV6(_ b: [UInt8]) -> String? {
        let zeroPrefix = b[0..<15].allSatisfy { $0 == 0 }
        if zeroPrefix && b[15] == 1 { return allowsLoopback ? nil : "a loopback address" }
        if zeroPrefix && b[15] == 0 { return "an unspecified address" }
        // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated): judge the IPv4 address.
        if b[0..<10].allSatisfy({ $0 == 0 }) && ((b[10] == 0xff && b[11] == 0xff) || (b[10] == 0 && b[11] == 0)) {
            return refusalV4(Array(b[12..<16]))
        }
        // 64:ff9b::/96 (NAT64) and 2002::/16 (6to4) carry an IPv4 address too.
        if b[0..<12] == [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0] { return refusalV4(Array(b[12..<16])) }
        if b[0] == 0x20 && b[1] == 0x02 { return refusalV4(Array(b[2..<6])) }
        switch b[0] {
        case 0xfc, 0xfd: return "a unique-local (private) address"
        case 0xfe where b[1] & 0xc0 == 0x80: return "a link-local address"
        case 0xfe where b[1] & 0xc0 == 0xc0: return "a site-local address"
        case 0xff: return "a multicast address"
        default: break
        }
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8 { return "a documentation address" }
        if b[0] & 0xe0 != 0x20 { return "an address outside global unicast" }
        return nil
    }

    /// The bytes of an IP literal (`10.0.0.1`, `::1`, `[fe80::1]`), or nil when `text` is not one.
    public static func literal(_ text: String) -> [UInt8]? {
        var text = Substring(text)
        if text.first == "[", text.last == "]" { text = text.dropFirst().dropLast() }
        if let v4 = v4(text) { return v4 }
        return v6(text)
    }

    static func v4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    static func v6(_ text: Substring) -> [UInt8]? {
        guard text.contains(":"), !text.contains("%") else { return nil }
        let halves = text.split(separator: "::", omittingEmptySubsequences: false).map(String.init)
        guard halves.count <= 2 else { return nil }
        func groups(_ s: String) -> [UInt8]? {
            guard !s.isEmpty else { return [] }
            var out: [UInt8] = []
            let pieces = s.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains("."), let v4 = v4(piece) { out += v4; continue }
                guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                out += [UInt8(value >> 8), UInt8(value & 0xff)]
            }
            return out
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 16 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count <= 14 else { return nil }
        return head + Array(repeating: 0, count: 16 - head.count - tail.count) + tail
    }
}
