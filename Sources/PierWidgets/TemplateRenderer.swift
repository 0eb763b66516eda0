import Foundation

/// Fills a page template's `{{script:…}}`, `{{style:…}}` and `{{url:…}}` placeholders with asset URLs (or, when
/// inlining, the assets themselves). Widgets use it through ``WidgetKit``; other pages (the playground) directly.
public struct TemplateRenderer: Sendable {
    let settings: WidgetSettings
    let assets: AssetCatalog
    let widget: String

    /// - Parameter name: the page's name, for error messages.
    public init(settings: WidgetSettings, assets: AssetCatalog, name: String) {
        self.settings = settings
        self.assets = assets
        self.widget = name
    }

    /// The page with every placeholder filled.
    /// - Throws: ``WidgetError`` naming the missing asset or malformed placeholder.
    public func render(_ template: String) throws(WidgetError) -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw WidgetError("widget \(widget): a placeholder opened with {{ is never closed")
            }
            let body = rest[open.upperBound..<close.lowerBound]
            out += try expand(body)
            rest = rest[close.upperBound...]
        }
        out += rest
        return out
    }

    func expand(_ placeholder: Substring) throws(WidgetError) -> String {
        let parts = placeholder.split(separator: ":", maxSplits: 1).map { String($0).trimmed }
        guard parts.count == 2 else { throw WidgetError("widget \(widget): unknown placeholder {{\(placeholder)}}; use script:, style: or url:") }
        let (kind, name) = (parts[0], parts[1])
        guard let asset = assets[name] else {
            throw WidgetError("widget \(widget): asset \"\(name)\" is not in the asset folder (named in {{\(placeholder)}})")
        }
        let inline = settings.inlineAssets
        switch kind {
        case "script":
            if inline { return "<script type=\"module\">\(String(decoding: asset.bytes, as: UTF8.self).escapingScriptEnd)</script>" }
            return "<script type=\"module\" src=\"\(settings.url(of: asset))\"></script>"
        case "style":
            if inline { return "<style>\(String(decoding: asset.bytes, as: UTF8.self).escapingStyleEnd)</style>" }
            return "<link rel=\"stylesheet\" href=\"\(settings.url(of: asset))\">"
        case "url":
            if inline { return "data:\(asset.contentType.replacingOccurrences(of: " ", with: ""));base64,\(Data(asset.bytes).base64EncodedString())" }
            return settings.url(of: asset)
        default:
            throw WidgetError("widget \(widget): unknown placeholder kind \"\(kind)\" in {{\(placeholder)}}; use script:, style: or url:")
        }
    }
}

extension String {
    var trimmed: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }

    /// Inline script text cannot contain `</script`; `<\/script` means the same to JavaScript.
    var escapingScriptEnd: String { replacingOccurrences(of: "</script", with: "<\\/script") }
    var escapingStyleEnd: String { replacingOccurrences(of: "</style", with: "<\\/style") }
}
