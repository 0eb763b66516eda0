public import Foundation
public import PierWidgets

/// The widget files shipped with Pier's apps (`Sources/PierApps/Widgets`): HTML templates, and the scripts,
/// styles and images they name.
public struct WidgetLibrary: Sendable {
    /// Scripts, styles and images, served content-hashed under `/assets/`.
    public let assets: AssetCatalog
    /// Templates by file name (`cart.html`).
    let templates: [String: String]

    /// Loads the files bundled with this module, or those in `directory`.
    /// - Throws: ``WidgetError`` when the folder is missing or unreadable.
    public init(directory: URL? = nil) throws(WidgetError) {
        guard let folder = directory ?? Bundle.module.url(forResource: "Widgets", withExtension: nil) else {
            throw WidgetError("the widget folder is missing from Pier's resources")
        }
        let everything = try AssetCatalog(directory: folder)
        var assets = AssetCatalog()
        var templates: [String: String] = [:]
        for file in everything.all {
            if file.name.hasSuffix(".html") { templates[file.name] = String(decoding: file.bytes, as: UTF8.self) } else { assets.add(file) }
        }
        self.assets = assets
        self.templates = templates
    }

    /// The template `name`.
    /// - Throws: ``WidgetError`` when there is no such template.
    public func template(_ name: String) throws(WidgetError) -> String {
        guard let t = templates[name] else { throw WidgetError("widget template \(name) is missing from the widget folder") }
        return t
    }
}
