import Foundation
import HTTPTypes
public import Hummingbird
import Mustache
import NIOCore
public import PierWidgets

/// The Mustache templates and the static files (styles, scripts) of Pier's own pages, loaded from this module's
/// resources once at start-up. Static files are served content-hashed under `/assets/` like a widget's.
public struct ConsolePages: Sendable {
    /// The pages' styles and scripts, to add to the asset catalog.
    public let assets: AssetCatalog
    let library: MustacheLibrary

    /// Loads every template and static file bundled with this module.
    /// - Throws: ``WidgetError`` when a file is missing or a template does not parse.
    public init() throws(WidgetError) {
        guard let folder = Bundle.module.url(forResource: "Pages", withExtension: nil) else {
            throw WidgetError("the console pages are missing from Pier's resources")
        }
        let files = try AssetCatalog(directory: folder)
        var assets = AssetCatalog()
        var library = MustacheLibrary()
        for file in files.all {
            if file.name.hasSuffix(".mustache") {
                let name = String(file.name.dropLast(".mustache".count))
                do {
                    try library.register(String(decoding: file.bytes, as: UTF8.self), named: name)
                } catch {
                    throw WidgetError("the page template \(file.name) does not parse: \(error)")
                }
            } else {
                assets.add(file)
            }
        }
        self.assets = assets
        self.library = library
    }

    /// The path a static file is served at (content-hashed, so it can be cached for good).
    func assetPath(_ name: String) -> String {
        guard let asset = assets[name] else { return "/assets/missing-\(name)" }
        return "/assets/" + asset.hashedName
    }

    /// `template` rendered with `view`, as an HTML response that no other site may frame and that runs only
    /// Pier's own scripts.
    func page(_ template: String, _ view: Any, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        let html = library.render(view, withTemplate: template) ?? "<!doctype html><title>Pier</title><p>The page \(template) is missing."
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .xContentTypeOptions: "nosniff",
            .contentSecurityPolicy: "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            HTTPField.Name("Referrer-Policy")!: "same-origin",
        ]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
