import Foundation
import MCPCore
import NIOHTTP1

extension DoctorRun {
    /// Each widget a tool links: its MIME type, its CSP in both dialects, and every asset its HTML loads.
    mutating func checkWidgets(_ probe: Probe, tools: [JSONValue]) async {
        var uris: [String] = []
        var toolsOf: [String: [JSONValue]] = [:]
        for tool in tools {
            let meta = tool["_meta"]
            if let uri = meta?["ui"]?["resourceUri"]?.stringValue ?? meta?["openai/outputTemplate"]?.stringValue {
                if !uris.contains(uri) { uris.append(uri) }
                toolsOf[uri, default: []].append(tool)
            }
        }
        guard !uris.isEmpty else {
            add("widgets", .info, "no tool links a widget")
            return
        }
        var checkedAssets: Set<String> = []
        var bad = 0
        for uri in uris.prefix(50) {
            guard let answer = try? await probe.rpc(url, "resources/read", params: ["uri": .string(uri)], id: 3, modern: !legacy, session: session, extra: auth),
                case .array(let contents)? = answer.message?["result"]?["contents"], let content = contents.first
            else {
                add("widgets", .blocking, "\(uri) cannot be read", fix: "register the widget's resource, and list it in resources/list")
                bad += 1
                continue
            }
            let mime = content["mimeType"]?.stringValue ?? ""
            if mime == "text/html;profile=mcp-app" {
            } else if mime == "text/html+skybridge" {
                add("widgets", .warning, "\(uri) is text/html+skybridge, the Apps SDK's legacy type", fix: "serve it as text/html;profile=mcp-app")
            } else {
                add("widgets", .blocking, "\(uri) has MIME type \"\(mime)\"; ChatGPT renders text/html;profile=mcp-app", fix: "set mimeType to text/html;profile=mcp-app")
                bad += 1
            }
            let meta = content["_meta"]
            if meta?["ui"]?["csp"] == nil {
                add("widgets", .warning, "\(uri) has no _meta.ui.csp: hosts block every fetch and external asset", fix: "declare connectDomains and resourceDomains")
            }
            if meta?["openai/widgetCSP"] == nil {
                add("widgets", .warning, "\(uri) has no _meta[\"openai/widgetCSP\"] (older ChatGPT reads only this)", fix: "declare connect_domains and resource_domains there too")
            }
            let html = content["text"]?.stringValue ?? ""
            var seenText = html
            for asset in Self.assetURLs(in: html) where checkedAssets.insert(asset).inserted {
                let (fine, body) = await checkAsset(probe, asset, widget: uri)
                bad += fine ? 0 : 1
                if asset.hasSuffix(".js") { seenText += "\n" + body }
            }
            // What the widget may reach: its CSP's domains, and where its own assets live.
            var allowed = Set(Self.assetURLs(in: html).compactMap(Self.origin))
            for key in ["connectDomains", "resourceDomains", "frameDomains"] {
                for d in meta?["ui"]?["csp"]?[key]?.arrayValue ?? [] { if let o = d.stringValue.flatMap(Self.origin) { allowed.insert(o) } }
            }
            for key in ["connect_domains", "resource_domains", "frame_domains", "redirect_domains"] {
                for d in meta?["openai/widgetCSP"]?[key]?.arrayValue ?? [] { if let o = d.stringValue.flatMap(Self.origin) { allowed.insert(o) } }
            }
            // Read-only tools that need no arguments are safe to call: their results show what the widget is given.
            for tool in toolsOf[uri] ?? [] where tool["annotations"]?["readOnlyHint"] == true && (tool["inputSchema"]?["required"]?.arrayValue ?? []).isEmpty {
                if let name = tool["name"]?.stringValue,
                    let answer = try? await probe.rpc(url, "tools/call", params: ["name": .string(name), "arguments": [:]], id: 4, modern: !legacy, session: session, extra: auth),
                    let result = answer.message?["result"]
                {
                    // Only values that are URLs: prose that mentions one is not a request.
                    for value in Self.strings(in: result["structuredContent"] ?? .null) where value.hasPrefix("https://") { seenText += "\n\"" + value + "\"" }
                }
            }
            let undeclared = Set(Self.origins(in: seenText)).subtracting(allowed).subtracting(Self.harmless).sorted()
            if !undeclared.isEmpty {
                add("widgets", .warning, "\(uri) names \(undeclared.joined(separator: ", ")), which its CSP does not declare: ChatGPT blocks requests there",
                    fix: "add each origin the widget fetches to connectDomains (and connect_domains), each it links to redirect_domains")
            }
        }
        if bad == 0 { add("widgets", .pass, "\(uris.count) widgets readable, with \(checkedAssets.count) assets reachable") }
    }

    /// One asset: at a public https URL (not this machine's address), answering 200 with CORS for the widget's
    /// sandbox origin.
    mutating func checkAsset(_ probe: Probe, _ asset: String, widget: String) async -> (fine: Bool, body: String) {
        guard let parts = URLComponents(string: asset), let host = parts.host?.lowercased() else { return (true, "") }
        if host == "localhost" || host.hasPrefix("127.") || host == "[::1]" || host == "::1" || host == "0.0.0.0", !isLoopback {
            add("widgets", .blocking, "\(widget) loads \(asset), an address on the server's own machine: browsers elsewhere cannot reach it",
                fix: "set BASE_URL to the public https URL, so widget assets are linked there")
            return (false, "")
        }
        if parts.scheme?.lowercased() != "https", isHTTPS {
            add("widgets", .blocking, "\(widget) loads \(asset) over plain http (mixed content is blocked)", fix: "serve assets over https (set BASE_URL to the https URL)")
            return (false, "")
        }
        guard let answer = try? await probe.send(.GET, asset, headers: [("Origin", "https://web-sandbox.oaiusercontent.com")]) else {
            add("widgets", .blocking, "\(asset) does not answer", fix: "serve the widget's assets at the URLs its HTML names")
            return (false, "")
        }
        guard answer.status == 200 else {
            add("widgets", .blocking, "\(asset) answers HTTP \(answer.status)", fix: "serve the widget's assets at the URLs its HTML names")
            return (false, "")
        }
        if answer.header("Access-Control-Allow-Origin") == nil {
            add("widgets", .warning, "\(asset) has no Access-Control-Allow-Origin: a sandboxed widget cannot load it as a module or font",
                fix: "send Access-Control-Allow-Origin: * on assets")
        }
        return (true, answer.text)
    }

    /// Origins that appear in any HTML or script without being fetched (namespaces, specs).
    static let harmless: Set<String> = ["http://www.w3.org", "https://www.w3.org"]

    /// `scheme://host[:port]` of `url`.
    static func origin(_ url: String) -> String? {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(), scheme == "https" || scheme == "http" || scheme == "wss",
            let host = parts.host?.lowercased(), !host.isEmpty
        else { return nil }
        return "\(scheme)://\(host)" + (parts.port.map { ":\($0)" } ?? "")
    }

    /// Every string inside `value`.
    static func strings(in value: JSONValue) -> [String] {
        switch value {
        case .string(let s): [s]
        case .array(let items): items.flatMap(strings)
        case .object(let object): object.map(\.value).flatMap(strings)
        default: []
        }
    }

    /// The origins of the `https://…` string literals in `text` (quoted, as code and JSON write them; prose that
    /// mentions a URL does not count).
    static func origins(in text: String) -> [String] {
        var found: [String] = []
        var rest = text[...]
        while let start = rest.range(of: "https://") {
            let tail = rest[start.lowerBound...]
            guard start.lowerBound > text.startIndex, "\"'`".contains(text[text.index(before: start.lowerBound)]) else {
                rest = rest[start.upperBound...]
                continue
            }
            let end = tail.dropFirst(8).firstIndex { "/\"' )<>`\\\n,;".contains($0) } ?? tail.endIndex
            if let o = origin(String(tail[..<end])) { found.append(o) }
            rest = rest[end...]
        }
        return found
    }

    /// The absolute http(s) URLs in `src` and `href` attributes.
    static func assetURLs(in html: String) -> [String] {
        var found: [String] = []
        for attribute in ["src=\"", "href=\""] {
            var rest = html[...]
            while let start = rest.range(of: attribute) {
                rest = rest[start.upperBound...]
                guard let end = rest.firstIndex(of: "\"") else { break }
                let value = String(rest[..<end])
                if value.hasPrefix("https://") || value.hasPrefix("http://") { found.append(value) }
                rest = rest[end...]
            }
        }
        return found
    }

    /// A foreign `Origin` must be refused (the DNS-rebinding defence the spec asks for).
    mutating func checkOrigin(_ probe: Probe) async {
        let initialize: JSONObject = ["protocolVersion": "2025-11-25", "capabilities": [:], "clientInfo": ["name": "pier-doctor", "version": "1"]]
        guard let answer = try? await probe.rpc(url, "initialize", params: initialize, id: 9, modern: false, extra: auth + [("Origin", "https://evil.example")])
        else { return }
        if (200..<300).contains(answer.status) {
            add("origin", .warning, "a request from Origin https://evil.example was served", fix: "refuse requests whose Origin is not yours with 403 (DNS rebinding)")
        } else {
            add("origin", .pass, "a foreign Origin is refused (HTTP \(answer.status))")
        }
        if let foreign = try? await probe.rpc(url, "initialize", params: initialize, id: 10, modern: false, extra: auth + [("Host", "evil.example")]) {
            if (200..<300).contains(foreign.status) {
                add("host", .warning, "a request for Host evil.example was served", fix: "answer only for your own host names (421 otherwise): DNS rebinding reaches servers that take any Host")
            } else {
                add("host", .pass, "a foreign Host is refused (HTTP \(foreign.status))")
            }
        }
        // Browser-based clients (MCP Inspector, web playgrounds) need CORS; ChatGPT calls from its servers.
        let preflight = try? await probe.send(
            .OPTIONS, url, headers: [("Origin", "https://chatgpt.com"), ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "content-type")])
        if let preflight, (200..<300).contains(preflight.status), preflight.header("Access-Control-Allow-Origin") != nil {
            add("cors", .info, "browser clients at https://chatgpt.com may call it (CORS answers the preflight)")
        } else {
            add("cors", .info, "no CORS for browsers at https://chatgpt.com: ChatGPT does not need it; browser-based clients do (CORS_ORIGINS)")
        }
    }
}
