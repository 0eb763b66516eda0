import MCPCore
import NIOCore

/// Server-sent event framing.
enum SSEEvent {
    /// `id:` (optional), `event: message` and one `data:` line of compact JSON.
    static func message(_ message: JSONRPCMessage, id: String? = nil) -> ByteBuffer {
        var writer = JSONWriter(capacity: 512)
        if let id {
            writer.appendRaw("id: ")
            writer.appendRaw(id.utf8)
            writer.appendRaw("\n")
        }
        writer.appendRaw("event: message\ndata: ")
        writer.write(message)
        writer.appendRaw("\n\n")
        return ByteBuffer(bytes: writer.bytes)
    }

    /// A named event with raw text data (for example the legacy `endpoint` event).
    static func named(_ name: String, data: String, id: String? = nil) -> ByteBuffer {
        var text = ""
        if let id { text += "id: \(id)\n" }
        text += "event: \(name)\ndata: \(data)\n\n"
        return ByteBuffer(string: text)
    }

    /// A priming event: an id with empty data, so a client can resume from the very start (2025-11-25).
    static func priming(id: String, retryMilliseconds: Int? = nil) -> ByteBuffer {
        var text = "id: \(id)\n"
        if let retryMilliseconds { text += "retry: \(retryMilliseconds)\n" }
        text += "data: \n\n"
        return ByteBuffer(string: text)
    }

    /// A comment line that keeps proxies from timing the stream out.
    static let keepAlive = ByteBuffer(string: ": keep-alive\n\n")
}
