public import MCPCore
public import PierServer

/// A widget ready to serve: its HTML, its content-hashed `ui://` URI, and the metadata hosts read.
public struct RenderedWidget: Sendable {
    public let widget: Widget
    /// `ui://widget/<name>-<hash>.html`: the hash covers the HTML and, through their hashed URLs or inlined bytes,
    /// every asset, so any change gives a new URI (ChatGPT caches by URI for up to an hour).
    public let uri: String
    /// The `text/html+skybridge` alias, when enabled.
    public let skybridgeURI: String?
    public let html: String
    /// The effective CSP: Pier's own origin, the configured domains and the widget's.
    public let csp: WidgetCSP
    public let domain: String

    /// The resource-content `_meta`, in both dialects: MCP Apps' `ui.*` and ChatGPT's `openai/*`.
    public var contentMeta: JSONObject {
        var meta: JSONObject = [:]
        meta["ui"] = ["csp": csp.mcpApps, "domain": .string(domain), "prefersBorder": .bool(widget.prefersBorder)]
        meta["openai/widgetCSP"] = csp.openAI
        meta["openai/widgetDomain"] = .string(domain)
        meta["openai/widgetPrefersBorder"] = .bool(widget.prefersBorder)
        meta["openai/widgetDescription"] = .string(widget.description)
        if let modes = widget.displayModes {
            var display: JSONObject = ["availableDisplayModes": .array(modes.map { .string($0) })]
            if let preferred = widget.preferredDisplayMode { display["preferredDisplayMode"] = .string(preferred) }
            meta["openai/ui"] = .object(display)
        }
        return meta
    }

    /// The `ui://` resource, and its skybridge alias when enabled.
    public var resources: [ResourceDefinition] {
        var list = [resource(uri: uri, mimeType: WidgetKit.mimeType)]
        if let skybridgeURI { list.append(resource(uri: skybridgeURI, mimeType: WidgetKit.skybridgeMimeType)) }
        return list
    }

    func resource(uri: String, mimeType: String) -> ResourceDefinition {
        let contents = ResourceContents(uri: uri, mimeType: mimeType, text: html, meta: contentMeta)
        return ResourceDefinition(
            uri: uri, name: widget.name, title: widget.title, description: widget.description, mimeType: mimeType, meta: contentMeta
        ) { _ in [contents] }
    }

    /// The tool `_meta` that makes a tool render this widget: `ui.resourceUri` and `openai/outputTemplate`, the
    /// visibility in both dialects, and the status texts.
    /// - Throws: ``WidgetError`` when a status text is empty or longer than 64 characters (ChatGPT's limit).
    public func toolMeta(invoking: String?, invoked: String?, visibility: ToolVisibility = .modelAndApp) throws(WidgetError) -> JSONObject {
        var meta: JSONObject = [:]
        meta["ui"] = ["resourceUri": .string(uri), "visibility": .array(visibility.audiences.map { .string($0) })]
        meta["openai/outputTemplate"] = .string(skybridgeURI ?? uri)
        meta["openai/widgetAccessible"] = .bool(visibility.includesApp)
        meta["openai/visibility"] = .string(visibility.includesModel ? "public" : "private")
        for (key, text) in [("openai/toolInvocation/invoking", invoking), ("openai/toolInvocation/invoked", invoked)] {
            guard let text else { continue }
            guard !text.isEmpty, text.count <= 64 else {
                throw WidgetError("widget \(widget.name): \(key) must be 1–64 characters, got \(text.count): \"\(text)\"")
            }
            meta[key] = .string(text)
        }
        return meta
    }
}

/// Who may call a tool: the model, the widget (through the host bridge), or both.
public struct ToolVisibility: Sendable, Equatable {
    public let includesModel: Bool
    public let includesApp: Bool

    /// Listed to the model and callable from widgets (the default).
    public static let modelAndApp = ToolVisibility(includesModel: true, includesApp: true)
    /// Listed to the model only; widgets may not call it.
    public static let modelOnly = ToolVisibility(includesModel: true, includesApp: false)
    /// Hidden from the model; only widgets call it (refresh buttons, pagination).
    public static let appOnly = ToolVisibility(includesModel: false, includesApp: true)

    /// MCP Apps' `ui.visibility` values.
    public var audiences: [String] { (includesModel ? ["model"] : []) + (includesApp ? ["app"] : []) }
}
