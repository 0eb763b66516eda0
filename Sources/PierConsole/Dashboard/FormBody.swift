import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body of at most 64 KiB, as name → value (the first of a repeated name).
enum FormBody {
    static let limit = 64 * 1024

    static func read(_ request: Request) async -> [String: String]? {
        var request = request
        guard let buffer = try? await request.collectBody(upTo: limit) else { return nil }
        return parse(String(buffer: buffer))
    }

    static func parse(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), !name.isEmpty else { continue }
            let value = parts.count > 1 ? decode(parts[1]) ?? "" : ""
            if fields[name] == nil { fields[name] = value }
        }
        return fields
    }

    static func decode(_ part: Substring) -> String? {
        part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
