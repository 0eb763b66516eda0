public import MCPCore

/// A widget an app declares: an HTML template plus the assets it names, rendered by the host in a sandbox when a
/// tool that points at it returns.
///
/// The template refers to assets by logical name, and Pier fills in the URLs (or the content, when inlining):
/// - `{{script:cart.js}}` → `<script type="module" src="…/assets/cart-<hash>.js"></script>`
/// - `{{style:cart.css}}` → `<link rel="stylesheet" href="…/assets/cart-<hash>.css">`
/// - `{{url:logo.svg}}` → the asset's absolute URL (or a `data:` URL when inlining)
///
/// ```swift
/// let cart = Widget(name: "cart", title: "Cart", description: "The user's shopping cart with its items.",
///                   template: "<!doctype html><html><head>{{style:cart.css}}</head><body><main id=root></main>{{script:cart.js}}</body></html>")
/// ```
public struct Widget: Sendable, Equatable {
    /// A short name, used in the URI (`ui://widget/<name>-<hash>.html`): letters, digits, `-` and `_`.
    public var name: String
    public var title: String
    /// What the widget shows, given to the model when it loads (`openai/widgetDescription`).
    public var description: String
    public var template: String
    /// Domains beyond Pier's own that the widget reaches.
    public var csp: WidgetCSP
    public var prefersBorder: Bool
    /// Display modes the widget supports (`inline`, `fullscreen`, `pip`); `nil` leaves the host to assume all.
    public var displayModes: [String]?
    public var preferredDisplayMode: String?
    /// Example `structuredContent` the widget renders, for previews (the gallery, the playground).
    public var sample: JSONValue?

    public init(
        name: String, title: String, description: String, template: String, csp: WidgetCSP = WidgetCSP(), prefersBorder: Bool = true,
        displayModes: [String]? = nil, preferredDisplayMode: String? = nil, sample: JSONValue? = nil
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.template = template
        self.csp = csp
        self.prefersBorder = prefersBorder
        self.displayModes = displayModes
        self.preferredDisplayMode = preferredDisplayMode
        self.sample = sample
    }
}
