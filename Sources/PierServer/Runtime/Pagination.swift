import MCPCore

/// Opaque list cursors: the offset of the next page, tagged so stray strings are refused.
enum Pagination {
    static func page(_ items: [JSONValue], cursor: JSONValue?, pageSize: Int) throws(MCPError) -> (items: [JSONValue], next: String?) {
        var start = 0
        switch cursor {
        case nil, .null?: break
        case .string(let text)?:
            guard text.hasPrefix("pier1."), let offset = Int(text.dropFirst(6), radix: 36), offset >= 0, offset <= items.count else {
                throw MCPError.invalidParams("Invalid cursor")
            }
            start = offset
        default:
            throw MCPError.invalidParams("Invalid cursor: must be a string")
        }
        let end = min(items.count, start + max(1, pageSize))
        let next = end < items.count ? "pier1." + String(end, radix: 36) : nil
        return (Array(items[start..<end]), next)
    }
}

extension MCPServer {
    /// One page of a list method's result, under `key`, with `nextCursor` when more remain.
    func listPage(_ items: [JSONValue], key: String, params: JSONObject) throws(MCPError) -> JSONObject {
        let page = try Pagination.page(items, cursor: params["cursor"], pageSize: configuration.pageSize)
        var o: JSONObject = [key: .array(page.items)]
        if let next = page.next { o["nextCursor"] = .string(next) }
        return o
    }
}
