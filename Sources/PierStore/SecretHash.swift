public import Crypto

/// The SHA-256 of a secret (token, authorization code, API key), as lowercase hex.
///
/// Stores accept only hashes: a raw secret has no way into the database.
public struct SecretHash: Sendable, Hashable, CustomStringConvertible {
    public let hex: String

    /// Hashes `secret`.
    public init(of secret: String) {
        self.init(digest: SHA256.hash(data: Array(secret.utf8)))
    }

    /// The hash whose digest is `digest` (computed once by a caller that needs the digest too).
    public init(digest: SHA256Digest) {
        var digits: [UInt8] = []
        digits.reserveCapacity(64)
        for byte in digest {
            digits.append(Self.hexDigits[Int(byte >> 4)])
            digits.append(Self.hexDigits[Int(byte & 15)])
        }
        self.hex = String(decoding: digits, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Wraps a stored hash.
    public init(hex: String) { self.hex = hex }

    public var description: String { "sha256:\(hex.prefix(8))…" }
}
