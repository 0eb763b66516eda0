public import MCPCore

/// Points an upstream's widgets at Pier instead of at the upstream's own asset origin, which ChatGPT cannot
/// reach: URLs in widget HTML move under `/upstreams/<name>/` on Pier's public origin, and both CSP dialects
/// (`_meta.ui.csp` and `_meta["openai/widgetCSP"]`) and the widget's domain (`ui.domain`,
/// `openai/widgetDomain`) name Pier's origin where they named the upstream's.
public struct AssetRewrite: Sendable, Equatable {
    /// Where the upstream's assets are (`http://internal:9000`).
    public let upstreamOrigin: String
    /// Where Pier serves them (`https://pier.example.com/upstreams/github`).
    public let publicPrefix: String
    /// Pier's public origin (`https://pier.example.com`), for CSP lists.
    public let publicOrigin: String

    public init(upstreamOrigin: String, publicPrefix: String, publicOrigin: String) {
        self.upstreamOrigin = Self.trimmed(upstreamOrigin)
        self.publicPrefix = Self.trimmed(publicPrefix)
        self.publicOrigin = Self.trimmed(publicOrigin)
    }

    static func trimmed(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    /// Widget HTML with the asset origin's URLs moved to Pier.
    public func html(_ text: String) -> String { text.replacing(upstreamOrigin, with: publicPrefix) }

    /// The keys of the two CSP dialects that list origins.
    static let cspLists = ["connectDomains", "resourceDomains", "frameDomains", "baseUriDomains"]
    static let openAILists = ["connect_domains", "resource_domains", "frame_domains", "redirect_domains"]

    /// `_meta` with the asset origin replaced by Pier's in both CSP dialects and as the widget's domain.
    public func meta(_ meta: JSONObject) -> JSONObject {
        var meta = meta
        if case .object(var ui)? = meta["ui"] {
            if case .object(let csp)? = ui["csp"] { ui["csp"] = .object(origins(csp, lists: Self.cspLists)) }
            if let domain = ui["domain"]?.stringValue, Self.trimmed(domain) == upstreamOrigin { ui["domain"] = .string(publicOrigin) }
            meta["ui"] = .object(ui)
        }
        if case .object(let csp)? = meta["openai/widgetCSP"] {
            meta["openai/widgetCSP"] = .object(origins(csp, lists: Self.openAILists))
        }
        if let domain = meta["openai/widgetDomain"]?.stringValue, Self.trimmed(domain) == upstreamOrigin {
            meta["openai/widgetDomain"] = .string(publicOrigin)
        }
        return meta
    }

    private func origins(_ csp: JSONObject, lists: [String]) -> JSONObject {
        var csp = csp
        for key in lists {
            guard case .array(let items)? = csp[key] else { continue }
            var seen: Set<String> = []
            var out: [JSONValue] = []
            for item in items {
                guard var origin = item.stringValue else {
                    out.append(item)
                    continue
                }
                if Self.trimmed(origin) == upstreamOrigin { origin = publicOrigin }
                if seen.insert(origin).inserted { out.append(.string(origin)) }
            }
            csp[key] = .array(out)
        }
        return csp
    }

    /// A resource or template descriptor with its `_meta` rewritten.
    public func descriptor(_ descriptor: JSONObject) -> JSONObject {
        guard case .object(let m)? = descriptor["_meta"] else { return descriptor }
        var descriptor = descriptor
        descriptor["_meta"] = .object(meta(m))
        return descriptor
    }

    /// A `ReadResourceResult` with HTML contents and every `_meta` rewritten.
    public func readResult(_ result: JSONObject) -> JSONObject {
        guard case .array(let contents)? = result["contents"] else { return result }
        var result = result
        result["contents"] = .array(
            contents.map { item in
                guard case .object(var content) = item else { return item }
                if content["mimeType"]?.stringValue?.hasPrefix("text/html") == true, let text = content["text"]?.stringValue {
                    content["text"] = .string(html(text))
                }
                if case .object(let m)? = content["_meta"] { content["_meta"] = .object(meta(m)) }
                return .object(content)
            })
        return result
    }
}
