import Crypto

/// How an upstream's tool and prompt names become names on Pier: `<prefix><separator><name>`, kept to what
/// ChatGPT and the OpenAI API accept (`^[A-Za-z0-9_-]{1,64}$`).
///
/// The mapping is deterministic, so a name is the same after every restart: other characters become `_`, and a
/// name over 64 characters keeps its first 55 and ends in `_` and 8 hex digits of the SHA-256 of the full name.
public struct ToolNaming: Sendable, Equatable {
    public static let maximumLength = 64
    /// The prefix (the server's name by default); empty means names are kept as the upstream gives them.
    public var prefix: String
    public var separator: String

    public init(prefix: String, separator: String = "__") {
        self.prefix = prefix
        self.separator = separator
    }

    /// The name Pier serves the upstream's `name` under.
    public func exposed(_ name: String) -> String {
        let full = prefix.isEmpty ? name : prefix + separator + name
        var safe = String(full.unicodeScalars.map { Self.isAllowed($0) ? Character($0) : "_" })
        if safe.isEmpty { safe = "_" }
        guard safe.count > Self.maximumLength else { return safe }
        let digest = SHA256.hash(data: Array(full.utf8))
        let hex = digest.prefix(4).map { byte in String(byte, radix: 16).leftPadded(to: 2) }.joined()
        return String(safe.prefix(Self.maximumLength - 9)) + "_" + hex
    }

    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-": true
        default: false
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
