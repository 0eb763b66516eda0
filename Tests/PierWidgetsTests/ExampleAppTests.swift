import MCPCore
import PierApps
import PierServer
import PierStore
import PierTesting
import PierWidgets
import Testing

/// The example apps against the reference checklist (§4): every key ChatGPT needs, on every descriptor and widget.
@Suite struct ExampleAppTests {
    static func client(store: any StateStore = MemoryStore(), meta: JSONObject = [:]) throws -> (MCPTestClient, WidgetKit) {
        let library = try WidgetLibrary()
        let kit = WidgetKit(settings: WidgetSettings(baseURL: "https://pier.example.com"), assets: library.assets)
        let apps = [
            try CartApp.make(kit: kit, library: library, store: store), try DashboardApp.make(kit: kit, library: library, serverName: "Pier", version: "test"),
            try LabApp.make(kit: kit, library: library), try GalleryApp.make(kit: kit, library: library),
        ]
        return (try MCPTestClient(apps: apps), kit)
    }

    @Test func everyToolCarriesWhatChatGPTRequires() async throws {
        let (client, kit) = try Self.client()
        let tools = try await client.listTools()
        #expect(tools.count == 8)
        let uris = Set(kit.widgets.map(\.uri))
        for tool in tools {
            let name = tool["name"]?.stringValue ?? "?"
            #expect(tool["title"]?.stringValue?.isEmpty == false, "\(name): title")
            #expect(tool["description"]?.stringValue?.isEmpty == false, "\(name): description")
            #expect(tool["inputSchema"]?["type"] == "object", "\(name): inputSchema")
            for hint in ["readOnlyHint", "destructiveHint", "openWorldHint"] {
                #expect(tool["annotations"]?[hint]?.boolValue != nil, "\(name): \(hint)")
            }
            #expect(tool["securitySchemes"] == [["type": "noauth"]] && tool["_meta"]?["securitySchemes"] == [["type": "noauth"]], "\(name): securitySchemes")
            #expect(tool["outputSchema"]?["type"] == "object", "\(name): outputSchema (every example tool returns structuredContent)")
            let meta = try #require(tool["_meta"])
            let uri = try #require(meta["ui"]?["resourceUri"]?.stringValue, "\(name): ui.resourceUri")
            #expect(uris.contains(uri) && meta["openai/outputTemplate"]?.stringValue == uri, "\(name): openai/outputTemplate")
            #expect(meta["ui"]?["visibility"]?.arrayValue?.isEmpty == false && meta["openai/widgetAccessible"]?.boolValue != nil && meta["openai/visibility"] != nil)
            for key in ["openai/toolInvocation/invoking", "openai/toolInvocation/invoked"] {
                if let text = meta[key]?.stringValue { #expect((1...64).contains(text.count), "\(name): \(key)") }
            }
        }
        let readOnly = tools.filter { $0["annotations"]?["readOnlyHint"] == true }.compactMap { $0["name"]?.stringValue }
        #expect(Set(readOnly) == ["show_cart", "show_dashboard", "dashboard_stats", "list_widgets", "csp_probe"])
        #expect(tools.first { $0["name"] == "checkout" }?["annotations"]?["destructiveHint"] == true)
        #expect(tools.first { $0["name"] == "dashboard_stats" }?["_meta"]?["ui"]?["visibility"] == ["app"])
    }

    @Test func theShowCartDescriptorExactly() async throws {
        let (client, kit) = try Self.client()
        let uri = try #require(kit.widgets.first { $0.widget.name == "cart" }?.uri)
        let tool = try #require(try await client.listTools().first { $0["name"] == "show_cart" })
        #expect(Set(tool.keys) == ["name", "title", "description", "inputSchema", "outputSchema", "annotations", "_meta", "securitySchemes"])
        #expect(tool["title"] == "Show cart")
        #expect(tool["annotations"] == ["readOnlyHint": true, "destructiveHint": false, "idempotentHint": true, "openWorldHint": false])
        #expect(tool["securitySchemes"] == [["type": "noauth"]])
        #expect(tool["_meta"] == [
            "ui": ["resourceUri": .string(uri), "visibility": ["model", "app"]],
            "openai/outputTemplate": .string(uri), "openai/widgetAccessible": true, "openai/visibility": "public",
            "openai/toolInvocation/invoking": "Opening your cart…", "openai/toolInvocation/invoked": "Cart shown",
            "securitySchemes": [["type": "noauth"]],
        ])
        #expect(tool["inputSchema"]?["properties"]?["cartId"]?["type"] == "string" && tool["inputSchema"]?["required"] == nil)
    }

    @Test func everyWidgetResourceCarriesBothDialects() async throws {
        let (client, kit) = try Self.client()
        #expect(kit.widgets.map(\.widget.name) == ["cart", "csp-probe", "dashboard", "gallery"])
        for widget in kit.widgets {
            let content = try #require(try await client.readResource(widget.uri).first)
            #expect(content["mimeType"] == "text/html;profile=mcp-app")
            #expect(content["text"]?.stringValue?.hasPrefix("<!doctype html>") == true)
            let meta = try #require(content["_meta"])
            #expect(meta["ui"]?["csp"]?["connectDomains"]?.arrayValue?.contains("https://pier.example.com") == true)
            #expect(meta["ui"]?["csp"]?["resourceDomains"]?.arrayValue?.contains("https://pier.example.com") == true)
            #expect(meta["ui"]?["domain"] == "https://pier.example.com" && meta["ui"]?["prefersBorder"]?.boolValue != nil)
            #expect(meta["openai/widgetCSP"]?["connect_domains"] != nil && meta["openai/widgetCSP"]?["resource_domains"] != nil)
            #expect(meta["openai/widgetDomain"] == "https://pier.example.com" && meta["openai/widgetPrefersBorder"]?.boolValue != nil)
            #expect(meta["openai/widgetDescription"]?.stringValue?.isEmpty == false)
        }
    }

    @Test func cartResultsCarryContentStructuredContentAndWidgetOnlyMeta() async throws {
        let (client, _) = try Self.client()
        let r = try await client.callTool("add_to_cart", arguments: ["items": [["name": "eggs"], ["name": "milk", "quantity": 2]]])
        #expect(r.text == "Added 1 × eggs, 2 × milk. The cart now holds 3 items.")
        #expect(r.content.last?["text"] == .string(r.structuredContent!.serializedString()), "the JSON text mirror")
        #expect(r.structuredContent?["items"] == [["name": "eggs", "quantity": 1], ["name": "milk", "quantity": 2]])
        #expect(r.structuredContent?["itemCount"] == 3)
        let cartID = try #require(r.structuredContent?["cartId"]?.stringValue, "a stateless call gets a cart id to name next time")
        #expect(r.json["_meta"]?["pier/cartVersion"] == 1)
        let shown = try await client.callTool("show_cart", arguments: ["cartId": .string(cartID)])
        #expect(shown.structuredContent?["itemCount"] == 3)
        let removed = try await client.callTool("remove_from_cart", arguments: ["cartId": .string(cartID), "items": [["name": "MILK", "quantity": 1]]])
        #expect(removed.structuredContent?["items"] == [["name": "eggs", "quantity": 1], ["name": "milk", "quantity": 1]])
        let order = try await client.callTool("checkout", arguments: ["cartId": .string(cartID)])
        #expect(order.structuredContent?["items"] == [] && order.structuredContent?["lastOrder"]?["itemCount"] == 2)
        let again = try await client.callTool("checkout", arguments: ["cartId": .string(cartID)])
        #expect(again.isError && again.text?.contains("empty") == true)
        let bad = try await client.callTool("remove_from_cart", arguments: ["cartId": .string(cartID), "items": [["name": "caviar"]]])
        #expect(bad.isError && bad.text == "caviar is not in the cart")
        let badID = try await client.callTool("show_cart", arguments: ["cartId": "no spaces allowed"])
        #expect(badID.isError)
    }

    @Test func theWidgetSessionKeysTheCartAndStaysHidden() async throws {
        let store = MemoryStore()
        let (client, _) = try Self.client(store: store)
        let meta: JSONObject = ["openai/widgetSessionId": "ws_123"]
        _ = try await client.callTool("add_to_cart", arguments: ["items": [["name": "eggs"]]], meta: meta)
        let shown = try await client.callTool("show_cart", meta: meta)
        #expect(shown.structuredContent?["itemCount"] == 1 && shown.structuredContent?["cartId"] == nil)
        let other = try await client.callTool("show_cart", meta: ["openai/widgetSessionId": "ws_456"])
        #expect(other.structuredContent?["itemCount"] == 0)
    }

    @Test func concurrentChangesAreAllKept() async throws {
        let (client, _) = try Self.client()
        let meta: JSONObject = ["openai/widgetSessionId": "ws_race"]
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<20 {
                group.addTask { _ = try? await client.callTool("add_to_cart", arguments: ["items": [["name": .string("item\(i % 4)")]]], meta: meta) }
            }
        }
        let shown = try await client.callTool("show_cart", meta: meta)
        #expect(shown.structuredContent?["itemCount"] == 20)
    }

    @Test func anAuthenticatedSubjectReplacesTheClaimedOne() async throws {
        var app = MCPApp(name: "who")
        app.tool("whoami", description: "Says who is calling.", annotations: .readOnly) { ctx in
            .text("\(ctx.host.subject ?? "-") \(ctx.host.subjectIsVerified)")
        }
        let server = try MCPServer(info: Implementation(name: "t", version: "0"), apps: [app])
        let anonymous = MCPTestClient(server: server)
        #expect(try await anonymous.callTool("whoami", meta: ["openai/subject": "claimed"]).text == "claimed false")
        let signedIn = MCPTestClient(server: server, principal: Principal(subject: "ada", scopes: ["mcp:read"]))
        #expect(try await signedIn.callTool("whoami", meta: ["openai/subject": "claimed"]).text == "ada true")
    }

    @Test func hostHintsAreTyped() {
        let hints = HostHints(meta: [
            "openai/locale": "fr-FR", "openai/userAgent": "ChatGPT/1", "openai/subject": "u1", "openai/session": "s1", "openai/widgetSessionId": "w1",
            "openai/userLocation": ["city": "Paris", "country": "FR", "timezone": "Europe/Paris", "latitude": 48.85, "longitude": 2.35],
        ])
        #expect(hints.locale == "fr-FR" && hints.userAgent == "ChatGPT/1" && hints.subject == "u1" && hints.session == "s1" && hints.widgetSessionID == "w1")
        #expect(hints.userLocation?.city == "Paris" && hints.userLocation?.latitude == 48.85)
        #expect(HostHints(meta: ["webplus/i18n": "de"]).locale == "de")
        #expect(HostHints(meta: ["openai/locale": 5]).locale == nil)
    }
}
