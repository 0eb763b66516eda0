public import MCPCore

/// The domains a widget may reach, as the host enforces them in its sandbox. Pier adds its own `BASE_URL` to the
/// connect and resource lists, so assets served by Pier always load.
public struct WidgetCSP: Sendable, Equatable {
    /// `fetch`, XHR and WebSocket targets (`connect-src`).
    public var connectDomains: [String]
    /// Scripts, styles, images and fonts (`script-src`, `style-src`, `img-src`, `font-src`).
    public var resourceDomains: [String]
    /// Nested iframes (`frame-src`); hosts review these more strictly.
    public var frameDomains: [String]
    /// `<base href>` targets (MCP Apps only).
    public var baseUriDomains: [String]
    /// Trusted `openExternal` targets (ChatGPT's `openai/widgetCSP.redirect_domains`, no MCP Apps equivalent).
    public var redirectDomains: [String]

    public init(
        connectDomains: [String] = [], resourceDomains: [String] = [], frameDomains: [String] = [], baseUriDomains: [String] = [],
        redirectDomains: [String] = []
    ) {
        self.connectDomains = connectDomains
        self.resourceDomains = resourceDomains
        self.frameDomains = frameDomains
        self.baseUriDomains = baseUriDomains
        self.redirectDomains = redirectDomains
    }

    /// Both lists merged, duplicates dropped, order kept.
    public func merging(_ other: WidgetCSP) -> WidgetCSP {
        func union(_ a: [String], _ b: [String]) -> [String] {
            var seen = Set<String>()
            return (a + b).filter { seen.insert($0).inserted }
        }
        return WidgetCSP(
            connectDomains: union(connectDomains, other.connectDomains), resourceDomains: union(resourceDomains, other.resourceDomains),
            frameDomains: union(frameDomains, other.frameDomains), baseUriDomains: union(baseUriDomains, other.baseUriDomains),
            redirectDomains: union(redirectDomains, other.redirectDomains))
    }

    /// MCP Apps' `_meta.ui.csp` (camelCase; empty optional lists omitted).
    public var mcpApps: JSONValue {
        var o: JSONObject = ["connectDomains": Self.list(connectDomains), "resourceDomains": Self.list(resourceDomains)]
        if !frameDomains.isEmpty { o["frameDomains"] = Self.list(frameDomains) }
        if !baseUriDomains.isEmpty { o["baseUriDomains"] = Self.list(baseUriDomains) }
        return .object(o)
    }

    /// ChatGPT's `_meta["openai/widgetCSP"]` (snake_case; empty optional lists omitted).
    public var openAI: JSONValue {
        var o: JSONObject = ["connect_domains": Self.list(connectDomains), "resource_domains": Self.list(resourceDomains)]
        if !frameDomains.isEmpty { o["frame_domains"] = Self.list(frameDomains) }
        if !redirectDomains.isEmpty { o["redirect_domains"] = Self.list(redirectDomains) }
        return .object(o)
    }

    static func list(_ domains: [String]) -> JSONValue { .array(domains.map { .string($0) }) }
}
