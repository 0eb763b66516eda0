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
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].drop { $0 == " " || $0 == "\t" }
        let trimmed = String(token.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
        return trimmed.isEmpty ? nil : trimmed
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
