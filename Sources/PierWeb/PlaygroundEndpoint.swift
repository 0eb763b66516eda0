import Foundation
public import Hummingbird
import HTTPTypes
import NIOCore
public import PierWidgets

/// `GET /playground`: a page that plays ChatGPT's part for this Pier (tools, argument forms, write
/// confirmations, the exact JSON on the wire, and widgets hosted in a sandbox with their CSP enforced).
/// Its scripts and styles are served content-hashed under `/assets/` like any widget's.
public struct PlaygroundEndpoint: Sendable {
    /// The playground's scripts and styles, to add to the asset catalog.
    public let assets: AssetCatalog
    let page: ByteBuffer

    /// Loads and renders the page bundled with this module.
    /// - Throws: ``WidgetError`` when its files are missing.
    public init() throws(WidgetError) {
        guard let folder = Bundle.module.url(forResource: "Playground", withExtension: nil) else {
            throw WidgetError("the playground files are missing from Pier's resources")
        }
        let files = try AssetCatalog(directory: folder)
        var assets = AssetCatalog()
        for file in files.all where !file.name.hasSuffix(".html") { assets.add(file) }
        guard let template = files["playground.html"] else { throw WidgetError("playground.html is missing from the playground files") }
        // Relative asset URLs: the page works whichever host name the browser used.
        let renderer = TemplateRenderer(settings: WidgetSettings(baseURL: ""), assets: assets, name: "playground")
        self.page = ByteBuffer(string: try renderer.render(String(decoding: template.bytes, as: UTF8.self)))
        self.assets = assets
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        let page = self.page
        router.get("/playground") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .xContentTypeOptions: "nosniff"],
                body: .init(byteBuffer: page))
        }
    }
}
