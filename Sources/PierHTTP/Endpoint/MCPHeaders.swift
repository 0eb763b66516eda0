import HTTPTypes

/// The request headers the endpoint decides on, read in one pass over the fields (a lookup per header would scan
/// them, and join repeated values, every time). Repeated fields are joined with ", ", as `HTTPFields` does.
struct MCPHeaders: Sendable {
    var protocolVersion: String?
    var sessionID: String?
    var method: String?
    var name: String?
    var contentLength: String?
    var lastEventID: String?
    var contentType: String?
    /// Whether `Accept` names `text/event-stream`, `application/json` or `*/*`, and whether it was sent at all.
    var acceptsEventStream = false
    var acceptsJSONType = false
    var acceptsAny = false
    var sawAccept = false

    init(_ fields: HTTPFields) {
        for field in fields {
            // Most fields are none of these: a look at the first byte skips them without comparing names.
            let fieldName = field.name.canonicalName
            guard let first = fieldName.utf8.first, first == UInt8(ascii: "m") || first == UInt8(ascii: "a") || first == UInt8(ascii: "c")
                || first == UInt8(ascii: "l")
            else { continue }
            switch fieldName {
            case "accept":
                sawAccept = true
                // `text/*` takes SSE and `application/*` takes JSON, as their full names do.
                acceptsEventStream = acceptsEventStream || field.value.utf8.containsASCII("text/event-stream") || field.value.utf8.containsASCII("text/*")
                acceptsJSONType = acceptsJSONType || field.value.utf8.containsASCII("application/json") || field.value.utf8.containsASCII("application/*")
                acceptsAny = acceptsAny || field.value.utf8.containsASCII("*/*")
            case "mcp-protocol-version": Self.add(field.value, to: &protocolVersion)
            case "mcp-session-id": Self.add(field.value, to: &sessionID)
            case "mcp-method": Self.add(field.value, to: &method)
            case "mcp-name": Self.add(field.value, to: &name)
            case "content-length": Self.add(field.value, to: &contentLength)
            case "last-event-id": Self.add(field.value, to: &lastEventID)
            case "content-type": Self.add(field.value, to: &contentType)
            default: continue
            }
        }
    }

    private static func add(_ value: String, to slot: inout String?) {
        if let existing = slot { slot = existing + ", " + value } else { slot = value }
    }

    /// Why a POST's body cannot be read: 415 for one that says it is not JSON (one without a `Content-Type` is read
    /// as JSON). `nil`: readable.
    var contentTypeRefusal: (status: HTTPResponse.Status, message: String)? {
        // What nearly every client sends is compared without splitting or lowering anything.
        guard let contentType, contentType != "application/json" else { return nil }
        // One media type, parameters (`; charset=utf-8`) aside; a repeated header joins to two and is refused.
        let type = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(" ").lowercased() } ?? ""
        guard type == "application/json" else {
            return (.unsupportedMediaType, "Content-Type must be application/json, not \(contentType.prefix(100))")
        }
        return nil
    }

    /// Why a POST's answer cannot be sent: 415 as ``contentTypeRefusal``, or 406 for an `Accept` that takes neither
    /// JSON nor SSE. `nil`: servable.
    var mediaTypeRefusal: (status: HTTPResponse.Status, message: String)? {
        if let refusal = contentTypeRefusal { return refusal }
        guard acceptsJSON || acceptsSSE else { return (.notAcceptable, "Accept must include application/json or text/event-stream") }
        return nil
    }

    /// The client takes SSE responses.
    var acceptsSSE: Bool { acceptsEventStream || acceptsAny }
    /// The client takes JSON responses (also when it sent no `Accept`).
    var acceptsJSON: Bool { acceptsJSONType || acceptsAny || !sawAccept }
}
