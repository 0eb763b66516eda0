public import PierWidgets

/// The widget settings of a configuration (`widget_*` in the file, `PIER_WIDGET_*` in the environment).
public struct WidgetOptions: Sendable, Equatable {
    /// Inline scripts, styles and images into widget HTML instead of linking `/assets/` (for hosts that block
    /// external assets).
    public var inlineAssets = false
    /// Extra domains every widget may `fetch` from; `BASE_URL` is always included.
    public var connectDomains: [String] = []
    /// Extra domains widgets may load scripts, styles, images and fonts from; `BASE_URL` is always included.
    public var resourceDomains: [String] = []
    public var frameDomains: [String] = []
    /// Trusted `openExternal` targets (ChatGPT's `redirect_domains`).
    public var redirectDomains: [String] = []
    /// The dedicated widget origin (`ui.domain`); default `BASE_URL`.
    public var domain: String?
    /// Also serve every widget as `text/html+skybridge` for older ChatGPT surfaces.
    public var skybridgeAlias = false

    mutating func apply(_ s: ConfigSource) throws(ConfigurationError) {
        if let v = try s.bool("widget_inline_assets", env: "PIER_WIDGET_INLINE_ASSETS") { inlineAssets = v }
        if let v = try s.list("widget_connect_domains", env: "PIER_WIDGET_CONNECT_DOMAINS") { connectDomains = try Self.checked(v, s.name("widget_connect_domains", env: "PIER_WIDGET_CONNECT_DOMAINS")) }
        if let v = try s.list("widget_resource_domains", env: "PIER_WIDGET_RESOURCE_DOMAINS") { resourceDomains = try Self.checked(v, s.name("widget_resource_domains", env: "PIER_WIDGET_RESOURCE_DOMAINS")) }
        if let v = try s.list("widget_frame_domains", env: "PIER_WIDGET_FRAME_DOMAINS") { frameDomains = try Self.checked(v, s.name("widget_frame_domains", env: "PIER_WIDGET_FRAME_DOMAINS")) }
        if let v = try s.list("widget_redirect_domains", env: "PIER_WIDGET_REDIRECT_DOMAINS") { redirectDomains = try Self.checked(v, s.name("widget_redirect_domains", env: "PIER_WIDGET_REDIRECT_DOMAINS")) }
        if let v = try s.string("widget_domain", env: "PIER_WIDGET_DOMAIN") { domain = v.isEmpty ? nil : try Self.checked([v], s.name("widget_domain", env: "PIER_WIDGET_DOMAIN"))[0] }
        if let v = try s.bool("widget_skybridge_alias", env: "PIER_WIDGET_SKYBRIDGE_ALIAS") { skybridgeAlias = v }
    }

    /// Domains must be origins (`https://api.example.com`), as CSP source lists and hosts expect.
    static func checked(_ domains: [String], _ key: String) throws(ConfigurationError) -> [String] {
        for d in domains {
            let ok = (d.hasPrefix("https://") || d.hasPrefix("http://") || d.hasPrefix("wss://")) && !d.dropFirst(8).contains("/")
            guard ok else { throw ConfigurationError(key: key, expected: "origins such as https://api.example.com (scheme and host, no path)", got: d) }
        }
        return domains
    }

    /// The renderer settings for Pier reached at `baseURL`.
    public func settings(baseURL: String) -> WidgetSettings {
        WidgetSettings(
            baseURL: baseURL, inlineAssets: inlineAssets,
            csp: WidgetCSP(connectDomains: connectDomains, resourceDomains: resourceDomains, frameDomains: frameDomains, redirectDomains: redirectDomains),
            domain: domain, skybridgeAlias: skybridgeAlias)
    }
}
