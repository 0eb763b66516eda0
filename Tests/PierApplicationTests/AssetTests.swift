import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Logging
import PierApplication
import PierHTTP
import MCPCore
import PierServer
import PierStore
import PierTesting
import PierWidgets
import Testing
import NIOCore

/// `/assets/…` and `/playground` through the whole router: caching, compression, validators and the Origin rules.
@Suite struct AssetTests {
    static let script = Asset(name: "app.js", bytes: Array(String(repeating: "console.log('pier');\n", count: 64).utf8))
    static let image = Asset(name: "logo.png", bytes: [0x89, 0x50, 0x4E, 0x47] + [UInt8](repeating: 7, count: 600))

    func makeApp() throws -> some ApplicationProtocol {
        var config = PierConfiguration()
        config.apps = ["demo"]
        var http = config.httpConfiguration
        http.watchDisconnects = false
        let logger = Logger(label: "test")
        let built = try buildServer(config, store: MemoryStore(), logger: logger)
        let endpoint = MCPEndpoint(server: built.server, configuration: http, logger: logger)
        var catalog = AssetCatalog()
        catalog.add(Self.script)
        catalog.add(Self.image)
        return Application(router: try buildRouter(endpoint: endpoint, assets: catalog, playground: true), logger: logger)
    }

    @Test func assetsAreImmutableTypedAndOpenToAnyOrigin() async throws {
        try await makeApp().test(.router) { client in
            try await client.execute(uri: "/assets/" + Self.script.hashedName, method: .get, headers: [.origin: "null"]) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == "text/javascript; charset=utf-8")
                #expect(r.headers[.cacheControl] == "public, max-age=31536000, immutable")
                #expect(r.headers[.accessControlAllowOrigin] == "*")
                #expect(r.headers[.eTag] == Self.script.etag && r.headers[.contentEncoding] == nil)
                #expect(Array(r.body.readableBytesView) == Self.script.bytes)
            }
            try await client.execute(uri: "/assets/" + Self.script.hashedName, method: .get, headers: [.acceptEncoding: "br, gzip"]) { r in
                #expect(r.headers[.contentEncoding] == "gzip" && r.headers[.vary] == "Accept-Encoding")
                #expect(r.body.readableBytes < Self.script.bytes.count / 4)
            }
            try await client.execute(uri: "/assets/" + Self.image.hashedName, method: .get, headers: [.acceptEncoding: "gzip"]) { r in
                #expect(r.headers[.contentType] == "image/png" && r.headers[.contentEncoding] == nil, "images are not gzipped again")
            }
            try await client.execute(uri: "/assets/" + Self.script.hashedName, method: .get, headers: [.ifNoneMatch: Self.script.etag]) { r in
                #expect(r.status == .notModified && r.body.readableBytes == 0)
            }
            try await client.execute(uri: "/assets/app.js", method: .get) { r in #expect(r.status == .notFound) }
            // The Origin exemption is for assets only: /mcp still refuses a foreign origin.
            try await client.execute(uri: "/mcp", method: .post, headers: [.origin: "null", .contentType: "application/json"], body: ByteBuffer(string: "{}")) { r in
                #expect(r.status == .forbidden)
            }
        }
    }

    @Test func playgroundPageLinksItsHashedAssets() async throws {
        try await makeApp().test(.router) { client in
            let page = try await client.execute(uri: "/playground", method: .get)
            #expect(page.status == .ok && page.headers[.contentType] == "text/html; charset=utf-8" && page.headers[.cacheControl] == "no-store")
            let html = String(buffer: page.body)
            let script = try #require(html.firstRange(of: "src=\"/assets/playground-")).upperBound
            let path = "/assets/playground-" + html[script...].prefix { $0 != "\"" }
            #expect(path.hasSuffix(".js"))
            try await client.execute(uri: path, method: .get) { r in
                #expect(r.status == .ok && r.headers[.contentType] == "text/javascript; charset=utf-8")
            }
        }
    }
}

/// A program embedding Pier adds its own widget app: its resource, its assets and its place in the gallery.
@Suite struct ExtraAppTests {
    @Test func anEmbeddedAppBringsItsWidgetAndAssets() async throws {
        let asset = Asset(name: "notes.js", bytes: Array("console.log('notes')".utf8))
        var catalog = AssetCatalog()
        catalog.add(asset)
        let notes = AppFactory(name: "notes", assets: catalog) { kit, _ in
            let widget = try kit.render(Widget(name: "notes", title: "Notes", description: "The user's notes.", template: "<main></main>{{script:notes.js}}"))
            var app = MCPApp(name: "notes")
            app.add(widget)
            try app.tool(
                "show_notes", title: "Show notes", description: "Use this when the user wants their notes.",
                annotations: ToolAnnotations(readOnlyHint: true, destructiveHint: false, openWorldHint: false), widget: widget
            ) { _ in .text("no notes yet") }
            return app
        }
        var config = PierConfiguration()
        config.apps = ["gallery"]
        let built = try buildServer(config, store: MemoryStore(), logger: Logger(label: "test"), extraApps: [notes])
        #expect(built.assets.asset(hashedName: asset.hashedName) != nil)
        let client = MCPTestClient(server: built.server)
        let listed = try await client.callTool("list_widgets")
        #expect(listed.structuredContent?["widgets"]?.arrayValue?.contains { $0["name"] == "notes" && $0["tools"] == ["show_notes"] } == true)
        let uri = try #require(built.widgets.widgets.first { $0.widget.name == "notes" }?.uri)
        #expect(try await client.readResource(uri).first?["text"]?.stringValue?.contains("/assets/\(asset.hashedName)") == true)
    }
}
