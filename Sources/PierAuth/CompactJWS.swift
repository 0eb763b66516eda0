import ExtrasBase64
import MCPCore

/// The parts of a compact JWS (a JWT) read before its signature is checked.
enum CompactJWS {
    /// The protected header of `token` (three dot-separated parts, a non-empty signature), or nil.
    static func header(_ token: String) -> JSONObject? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[2].isEmpty,
            let bytes = try? Base64.decode(string: String(parts[0]), options: [.base64UrlAlphabet, .omitPaddingCharacter]),
            case .object(let header)? = try? JSONValue(parsing: bytes)
        else { return nil }
        return header
    }
}
