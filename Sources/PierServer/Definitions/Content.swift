public import MCPCore

/// A content block in a tool result or prompt message.
public enum Content: Sendable, Equatable {
    case text(String, meta: JSONObject? = nil)
    /// Base64 image data.
    case image(data: String, mimeType: String, meta: JSONObject? = nil)
    /// Base64 audio data.
    case audio(data: String, mimeType: String, meta: JSONObject? = nil)
    /// A resource embedded in full.
    case resource(ResourceContents, meta: JSONObject? = nil)
    /// A link to a resource the client may read.
    case resourceLink(uri: String, name: String, mimeType: String? = nil, description: String? = nil, meta: JSONObject? = nil)
    /// A block Pier does not model, forwarded as is.
    case raw(JSONObject)

    /// The wire form.
    public var json: JSONValue {
        var o: JSONObject
        let meta: JSONObject?
        switch self {
        case .text(let text, let m):
            o = ["type": "text", "text": .string(text)]
            meta = m
        case .image(let data, let mimeType, let m):
            o = ["type": "image", "data": .string(data), "mimeType": .string(mimeType)]
            meta = m
        case .audio(let data, let mimeType, let m):
            o = ["type": "audio", "data": .string(data), "mimeType": .string(mimeType)]
            meta = m
        case .resource(let contents, let m):
            o = ["type": "resource", "resource": contents.json]
            meta = m
        case .resourceLink(let uri, let name, let mimeType, let description, let m):
            o = ["type": "resource_link", "uri": .string(uri), "name": .string(name)]
            if let mimeType { o["mimeType"] = .string(mimeType) }
            if let description { o["description"] = .string(description) }
            meta = m
        case .raw(let object):
            return .object(object)
        }
        if let meta { o["_meta"] = .object(meta) }
        return .object(o)
    }
}
