public import PierServer
public import PierStore
public import PierWidgets

/// An app that a program embedding Pier adds to the built-in ones: its widget assets, and how to build it once the
/// widget kit and the store exist.
///
/// ```swift
/// let notes = AppFactory(name: "notes", assets: try AssetCatalog(directory: widgetsFolder)) { kit, store in
///     let widget = try kit.render(Widget(name: "notes", title: "Notes", description: "…", template: html))
///     var app = MCPApp(name: "notes")
///     app.add(widget)
///     try app.tool("show_notes", title: "Show notes", description: "…", annotations: .readOnly, widget: widget) { _ in … }
///     return app
/// }
/// let app = try buildApplication(config, logger: logger, extraApps: [notes])
/// ```
public struct AppFactory: Sendable {
    public let name: String
    /// Scripts, styles and images its widgets name; served under `/assets/` with Pier's own.
    public let assets: AssetCatalog
    public let make: @Sendable (WidgetKit, any StateStore) throws -> MCPApp

    public init(name: String, assets: AssetCatalog = AssetCatalog(), make: @escaping @Sendable (WidgetKit, any StateStore) throws -> MCPApp) {
        self.name = name
        self.assets = assets
        self.make = make
    }
}
