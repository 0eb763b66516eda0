import Crypto
import ExtrasBase64

/// Proof Key for Code Exchange (RFC 7636), S256 only: `plain` offers no protection against a stolen code.
public enum PKCE {
    /// A verifier is 43–128 characters of `A-Z a-z 0-9 - . _ ~`.
    public static func isValidVerifier(_ verifier: String) -> Bool {
        (43...128).contains(verifier.utf8.count) && verifier.unicodeScalars.allSatisfy(isUnreserved)
    }

    /// An S256 challenge is the 43-character base64url of a SHA-256.
    public static func isValidChallenge(_ challenge: String) -> Bool {
        challenge.utf8.count == 43 && challenge.unicodeScalars.allSatisfy { isUnreserved($0) && $0 != "." && $0 != "~" }
    }

    static func isUnreserved(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "-" || c == "." || c == "_" || c == "~"
    }

    /// The S256 challenge of `verifier`.
    public static func challenge(for verifier: String) -> String { Base64URL.encode(Array(SHA256.hash(data: Array(verifier.utf8)))) }

    /// `true` when `verifier` is well formed and hashes to `challenge` (compared in constant time).
    public static func verify(verifier: String, challenge: String) -> Bool {
        isValidVerifier(verifier) && ConstantTime.equal(Self.challenge(for: verifier), challenge)
    }
}

/// base64url without padding (RFC 4648 §5).
public enum Base64URL {
    public static func encode(_ bytes: [UInt8]) -> String {
        Base64.encodeToString(bytes: bytes, options: [.base64UrlAlphabet, .omitPaddingCharacter])
    }

    /// `count` random bytes from the system's generator, encoded.
    public static func random(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return encode((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}

/// The token of an `Authorization: Bearer <token>` header; `nil` for another scheme or no token.
public enum BearerToken {
    public static func from(_ header: String?) -> String? {
        guard let header else { return nil }
        // On the UTF-8 view: this runs on every request to a protected endpoint.
        let bytes = header.utf8
        var start = bytes.startIndex
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        while start < bytes.endIndex, isSpace(bytes[start]) { start = bytes.index(after: start) }
        let scheme = "bearer".utf8
        var cursor = start
        for expected in scheme {
            guard cursor < bytes.endIndex, bytes[cursor] | 0x20 == expected else { return nil }
            cursor = bytes.index(after: cursor)
        }
        guard cursor < bytes.endIndex, isSpace(bytes[cursor]) else { return nil }
        while cursor < bytes.endIndex, isSpace(bytes[cursor]) { cursor = bytes.index(after: cursor) }
        var end = bytes.endIndex
        while end > cursor, isSpace(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        guard cursor < end else { return nil }
        return String(header[cursor..<end])
    }
}

/// Comparisons whose time depends only on the lengths.
public enum ConstantTime {
    public static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
