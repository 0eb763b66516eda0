import MCPCore
import PierServer
import PierTesting
import PierWidgets
import Testing

/// Rendering widgets: asset resolution, content-hashed URIs, inlining, and the resource `_meta` in both dialects.
@Suite struct WidgetKitTests {
    static let assets = AssetCatalog(files: ["app.js": Array("console.log('hi')".utf8), "app.css": Array("body{}".utf8), "logo.svg": Array("<svg/>".utf8)])
    static let template = "<!doctype html><html><head>{{style:app.css}}</head><body><img src=\"{{url:logo.svg}}\">{{script:app.js}}</body></html>"

    func kit(_ tweak: (inout WidgetSettings) -> Void = { _ in }, assets: AssetCatalog = Self.assets) -> WidgetKit {
        var settings = WidgetSettings(baseURL: "https://pier.example.com/")
        tweak(&settings)
        return WidgetKit(settings: settings, assets: assets)
    }

    @Test func assetsResolveToHashedAbsoluteURLs() throws {
        let w = try kit().render(Widget(name: "demo", title: "Demo", description: "A demo.", template: Self.template))
        let js = try #require(Self.assets["app.js"])
        #expect(js.hashedName.hasPrefix("app-") && js.hashedName.hasSuffix(".js") && js.hashedName.count == "app-".count + 10 + ".js".count)
        #expect(w.html.contains("<script type=\"module\" src=\"https://pier.example.com/assets/\(js.hashedName)\"></script>"))
        #expect(w.html.contains("<link rel=\"stylesheet\" href=\"https://pier.example.com/assets/\(Self.assets["app.css"]!.hashedName)\">"))
        #expect(w.uri.hasPrefix("ui://widget/demo-") && w.uri.hasSuffix(".html"))
    }

    @Test func anyChangeToAnAssetChangesTheURI() throws {
        let before = try kit().render(Widget(name: "demo", title: "Demo", description: "A demo.", template: Self.template))
        var changed = Self.assets
        changed.add(Asset(name: "app.css", bytes: Array("body{color:red}".utf8)))
        let after = try kit(assets: changed).render(Widget(name: "demo", title: "Demo", description: "A demo.", template: Self.template))
        #expect(before.uri != after.uri)
        let again = try kit().render(Widget(name: "demo", title: "Demo", description: "A demo.", template: Self.template))
        #expect(before.uri == again.uri)
    }

    @Test func inliningPutsEveryAssetInTheHTML() throws {
        var assets = Self.assets
        assets.add(Asset(name: "tricky.js", bytes: Array(#"const end = "</script>";"#.utf8)))
        let w = try kit({ $0.inlineAssets = true }, assets: assets).render(
            Widget(name: "demo", title: "Demo", description: "A demo.", template: Self.template + "{{script:tricky.js}}"))
        #expect(w.html.contains("<script type=\"module\">console.log('hi')</script>"))
        #expect(w.html.contains("<style>body{}</style>"))
        #expect(w.html.contains("src=\"data:image/svg+xml;base64,PHN2Zy8+\""))
        #expect(w.html.contains(#"const end = "<\/script>";"#))
        #expect(!w.html.contains("/assets/"))
    }

    @Test func aMissingAssetFailsAtRender() {
        #expect(throws: WidgetError("widget demo: asset \"gone.js\" is not in the asset folder (named in {{script:gone.js}})")) {
            try kit().render(Widget(name: "demo", title: "Demo", description: "A demo.", template: "{{script:gone.js}}"))
        }
        #expect(throws: WidgetError.self) { try kit().render(Widget(name: "demo", title: "Demo", description: "A demo.", template: "{{frame:app.js}}")) }
        #expect(throws: WidgetError.self) { try kit().render(Widget(name: "de mo", title: "Demo", description: "A demo.", template: "")) }
    }

    @Test func resourceContentCarriesBothDialects() async throws {
        let widgets = kit {
            $0.csp = WidgetCSP(connectDomains: ["https://api.example.com"], redirectDomains: ["https://shop.example.com"])
            $0.skybridgeAlias = true
        }
        let w = try widgets.render(
            Widget(
                name: "demo", title: "Demo", description: "Shows a demo.", template: "<p>hi</p>", csp: WidgetCSP(resourceDomains: ["https://cdn.example.com"]),
                prefersBorder: false, displayModes: ["inline", "fullscreen"], preferredDisplayMode: "inline"))
        let meta = w.contentMeta
        #expect(meta["ui"] == [
            "csp": ["connectDomains": ["https://pier.example.com", "https://api.example.com"], "resourceDomains": ["https://pier.example.com", "https://cdn.example.com"]],
            "domain": "https://pier.example.com", "prefersBorder": false,
        ])
        #expect(meta["openai/widgetCSP"] == [
            "connect_domains": ["https://pier.example.com", "https://api.example.com"], "resource_domains": ["https://pier.example.com", "https://cdn.example.com"],
            "redirect_domains": ["https://shop.example.com"],
        ])
        #expect(meta["openai/widgetDomain"] == "https://pier.example.com" && meta["openai/widgetPrefersBorder"] == false)
        #expect(meta["openai/widgetDescription"] == "Shows a demo.")
        #expect(meta["openai/ui"] == ["availableDisplayModes": ["inline", "fullscreen"], "preferredDisplayMode": "inline"])
        #expect(w.resources.map(\.mimeType) == ["text/html;profile=mcp-app", "text/html+skybridge"])
        var app = MCPApp(name: "t")
        app.add(w)
        let client = try MCPTestClient(apps: [app])
        let content = try await client.readResource(w.uri).first
        #expect(content?["mimeType"] == "text/html;profile=mcp-app" && content?["text"] == "<p>hi</p>")
        #expect(content?["_meta"] == .object(meta))
        #expect(try await client.readResource(w.skybridgeURI!).first?["mimeType"] == "text/html+skybridge")
    }

    @Test func toolMetaLinksTheWidgetAndChecksStatusTexts() throws {
        let w = try kit { $0.skybridgeAlias = true }.render(Widget(name: "demo", title: "Demo", description: "A demo.", template: "<p/>"))
        let meta = try w.toolMeta(invoking: "Working…", invoked: "Done", visibility: .appOnly)
        #expect(meta["ui"] == ["resourceUri": .string(w.uri), "visibility": ["app"]])
        #expect(meta["openai/outputTemplate"] == .string(w.skybridgeURI!))
        #expect(meta["openai/widgetAccessible"] == true && meta["openai/visibility"] == "private")
        #expect(meta["openai/toolInvocation/invoking"] == "Working…" && meta["openai/toolInvocation/invoked"] == "Done")
        #expect(throws: WidgetError.self) { try w.toolMeta(invoking: String(repeating: "x", count: 65), invoked: nil) }
        #expect(throws: WidgetError.self) { try w.toolMeta(invoking: "", invoked: nil) }
    }
}
