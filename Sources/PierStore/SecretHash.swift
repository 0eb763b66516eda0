import Crypto

/// The SHA-256 of a secret (token, authorization code, API key), as lowercase hex.
///
/// Stores accept only hashes: a raw secret has no way into the database.
public struct SecretHash: Sendable, Hashable, CustomStringConvertible {
    public let hex: String

    /// Hashes `secret`.
    public init(of secret: String) {
        self.hex = SHA256.hash(data: Array(secret.utf8)).map { byte in
            let h = String(byte, radix: 16)
            return byte < 16 ? "0" + h : h
        }.joined()
    }

    /// Wraps a stored hash.
    public init(hex: String) { self.hex = hex }

    public var description: String { "sha256:\(hex.prefix(8))…" }
}
