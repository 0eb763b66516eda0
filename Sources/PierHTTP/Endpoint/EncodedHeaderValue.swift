#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The 2026-07-28 encoding of header values that are not plain visible ASCII: `=?base64?<base64 of UTF-8>?=`.
enum EncodedHeaderValue {
    /// The text `value` stands for: decoded when it is `=?base64?…?=`, else as it is; `nil` for a value that claims
    /// the encoding but is not base64 of UTF-8.
    static func decode(_ value: String) -> String? {
        guard value.hasPrefix("=?base64?"), value.hasSuffix("?="), value.utf8.count >= 11 else { return value }
        let payload = value.utf8.dropFirst(9).dropLast(2)
        guard let text = String(payload), let data = Data(base64Encoded: text) else { return nil }
        return String(validating: [UInt8](data), as: UTF8.self)
    }

    /// `text` as a header value: as it is when it is visible ASCII without leading or trailing space, else encoded.
    static func encode(_ text: String) -> String {
        let plain = text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } && text.first != " " && text.last != " " && !text.hasPrefix("=?base64?")
        return plain ? text : "=?base64?" + Data(text.utf8).base64EncodedString() + "?="
    }
}
