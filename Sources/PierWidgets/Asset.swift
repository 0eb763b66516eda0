import Foundation
import Crypto

/// One static file a widget uses, addressed by a name that carries its content hash (`cart-3f9a0c41d2.js`), so it
/// can be cached forever and a change always makes a new URL.
public struct Asset: Sendable, Equatable {
    /// The name widgets refer to it by, a path inside the asset folder (`cart.js`, `icons/logo.svg`).
    public let name: String
    /// The served name: the logical name with the first 10 hex digits of its SHA-256 before the extension, and
    /// folders flattened with `-`.
    public let hashedName: String
    public let contentType: String
    public let bytes: [UInt8]
    /// SHA-256 of the bytes, lower-case hex.
    public let sha256: String

    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
        self.contentType = ContentType.forName(name)
        let hex = SHA256.hash(data: bytes).map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
        self.sha256 = hex
        let flat = name.replacingOccurrences(of: "/", with: "-")
        let stamp = hex.prefix(10)
        if let dot = flat.lastIndex(of: "."), dot != flat.startIndex {
            self.hashedName = "\(flat[..<dot])-\(stamp)\(flat[dot...])"
        } else {
            self.hashedName = "\(flat)-\(stamp)"
        }
    }

    /// A strong validator for `ETag` / `If-None-Match`.
    public var etag: String { "\"\(sha256.prefix(32))\"" }

    /// Whether serving it gzip-compressed can help.
    public var isCompressible: Bool { ContentType.isCompressible(contentType) }
}
