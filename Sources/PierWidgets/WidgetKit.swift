import Crypto
import MCPCore
public import PierServer
import PierSync

/// Renders widgets for one Pier: resolves their assets, stamps their URIs with a content hash, builds the
/// resource `_meta` ChatGPT and MCP Apps hosts read, and remembers every widget rendered (for the gallery).
///
/// ```swift
/// let kit = WidgetKit(settings: WidgetSettings(baseURL: "https://pier.example.com"), assets: catalog)
/// let cart = try kit.render(Widget(name: "cart", title: "Cart", description: "…", template: html))
/// app.add(cart)   // the ui:// resource(s)
/// ```
public final class WidgetKit: Sendable {
    public static let mimeType = "text/html;profile=mcp-app"
    public static let skybridgeMimeType = "text/html+skybridge"

    public let settings: WidgetSettings
    public let assets: AssetCatalog
    private let rendered = Locked<[String: RenderedWidget]>([:])

    public init(settings: WidgetSettings, assets: AssetCatalog) {
        self.settings = settings
        self.assets = assets
    }

    /// Every widget rendered so far, by name.
    public var widgets: [RenderedWidget] { rendered.withLock { $0.values.sorted { $0.widget.name < $1.widget.name } } }

    /// Renders a widget: its HTML with assets resolved, its hashed URI and its resource `_meta`.
    /// - Throws: ``WidgetError`` when the name is malformed, the template names an asset that does not exist, or a
    ///   placeholder is unknown, so the mistake stops start-up instead of blanking a widget in a chat.
    public func render(_ widget: Widget) throws(WidgetError) -> RenderedWidget {
        guard !widget.name.isEmpty, widget.name.utf8.allSatisfy({ b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
        }) else { throw WidgetError("widget name \"\(widget.name)\" must be letters, digits, - and _") }
        let html = try TemplateRenderer(settings: settings, assets: assets, name: widget.name).render(widget.template)
        let digest = SHA256.hash(data: Array(html.utf8)).map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
        let stamp = digest.prefix(12)
        let base = "ui://widget/\(widget.name)-\(stamp)"
        let own = WidgetCSP(connectDomains: [settings.baseOrigin], resourceDomains: [settings.baseOrigin])
        let csp = own.merging(settings.csp).merging(widget.csp)
        let result = RenderedWidget(
            widget: widget, uri: base + ".html", skybridgeURI: settings.skybridgeAlias ? base + ".skybridge.html" : nil, html: html, csp: csp,
            domain: settings.domain ?? settings.baseOrigin)
        try rendered.withLock { r throws(WidgetError) in
            if let existing = r[widget.name], existing.uri != result.uri { throw WidgetError("two different widgets are named \"\(widget.name)\"") }
            r[widget.name] = result
        }
        return result
    }
}

extension MCPApp {
    /// Registers a rendered widget's `ui://` resource (and its skybridge alias, when enabled).
    public mutating func add(_ widget: RenderedWidget) {
        for resource in widget.resources { add(resource) }
    }
}
