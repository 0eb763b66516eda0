import Foundation
/// How widgets are rendered on this Pier: where assets are served from and what every widget may reach.
public struct WidgetSettings: Sendable, Equatable {
    /// The public base URL, without a trailing slash (`https://pier.example.com`); asset URLs are built from it.
    public var baseURL: String
    /// The path assets are served under.
    public var assetPath: String
    /// Inline every script, style and asset URL into the HTML, for hosts that block external assets.
    public var inlineAssets: Bool
    /// Domains every widget may reach, on top of `baseURL` and the widget's own.
    public var csp: WidgetCSP
    /// The widget origin hosts should use (`ui.domain`, `openai/widgetDomain`); `nil` means `baseURL`.
    public var domain: String?
    /// Also register each widget as `text/html+skybridge` for older ChatGPT surfaces, and point
    /// `openai/outputTemplate` at that alias.
    public var skybridgeAlias: Bool

    public init(
        baseURL: String, assetPath: String = "/assets", inlineAssets: Bool = false, csp: WidgetCSP = WidgetCSP(), domain: String? = nil,
        skybridgeAlias: Bool = false
    ) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.assetPath = assetPath
        self.inlineAssets = inlineAssets
        self.csp = csp
        self.domain = domain
        self.skybridgeAlias = skybridgeAlias
    }

    /// `scheme://host[:port]` of `baseURL`.
    public var baseOrigin: String {
        guard let schemeEnd = baseURL.range(of: "://") else { return baseURL }
        let rest = baseURL[schemeEnd.upperBound...]
        let host = rest.split(separator: "/", maxSplits: 1).first.map(String.init) ?? String(rest)
        return baseURL[..<schemeEnd.upperBound] + host
    }

    /// The absolute URL of an asset.
    public func url(of asset: Asset) -> String { baseURL + assetPath + "/" + asset.hashedName }
}
