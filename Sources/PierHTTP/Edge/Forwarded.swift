import HTTPTypes
public import Hummingbird

/// What a trusted proxy says about a request: `X-Forwarded-For`, `-Host`, `-Proto` (their first entry).
public enum Forwarded {
    /// The first comma-separated entry of a forwarded header, without spaces or tabs; `nil` when empty.
    public static func first(_ value: String?) -> String? {
        guard let part = value?.split(separator: ",").first else { return nil }
        let trimmed = part.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()
        return trimmed.isEmpty ? nil : String(trimmed)
    }

    /// The client's address: behind a trusted proxy the first `X-Forwarded-For`, else the peer's (`unknown` when
    /// there is none).
    public static func clientAddress(_ request: Request, peer: String?, trusted: Bool) -> String {
        if trusted, let address = first(request.headers[HTTPField.Name("X-Forwarded-For")!]) { return address }
        return peer ?? "unknown"
    }
}
