import MCPCore
import NIOHTTP1

extension DoctorRun {
    /// `server/discover` (2026-07-28) and `initialize` (2025-11-25): at least one must answer; a 401 leads to the
    /// OAuth checks.
    mutating func discover(_ probe: Probe) async -> Bool {
        var modernAnswer: Probe.Answer
        do {
            // Without the token first: that is how ChatGPT finds out how to sign in.
            modernAnswer = try await probe.rpc(url, "server/discover", modern: true)
        } catch {
            if error.isTLS {
                add("https", .blocking, "the TLS handshake failed: \(error.message)", fix: "serve a certificate from a public CA (Let's Encrypt) for this host name, with its whole chain")
            } else {
                add("discovery", .blocking, "no answer from \(url): \(error.message)", fix: "check that the server runs and that this URL reaches it")
            }
            return false
        }
        if isHTTPS { add("https", .pass, "the certificate is valid for this host") }
        add("latency", modernAnswer.elapsed > .seconds(3) ? .warning : .info, "first request answered in \(Self.ms(modernAnswer.elapsed)) (cold start)",
            fix: "keep the server warm: ChatGPT gives up on slow connectors")
        if modernAnswer.status == 401 || modernAnswer.status == 403 {
            signsIn = true
            await checkOAuth(probe, challenge: modernAnswer.header("WWW-Authenticate"))
            guard token != nil, let again = try? await probe.rpc(url, "server/discover", modern: true, extra: auth) else {
                add("tools", .info, "the server needs a token, so its tools were not checked", fix: "run pier doctor again with --token")
                return false
            }
            guard again.status != 401, again.status != 403 else {
                add("oauth", .blocking, "the given token is refused (HTTP \(again.status))", fix: "give a live access token issued for \(url)")
                return false
            }
            modernAnswer = again
        } else {
            add("oauth", .info, "the server answers without a token (no sign-in)")
        }
        if modernAnswer.status == 200, let result = modernAnswer.message?["result"], result["serverInfo"] != nil || result["capabilities"] != nil {
            modern = true
            let info = result["serverInfo"] ?? result["_meta"]?["io.modelcontextprotocol/serverInfo"]
            add("discovery", .pass, "server/discover (2026-07-28) answers: \(info?["name"]?.stringValue ?? "a server")")
        } else {
            add("discovery", .info, "server/discover (2026-07-28) is not served (HTTP \(modernAnswer.status)); clients fall back to initialize")
        }
        let initialize: JSONObject = [
            "protocolVersion": "2025-11-25", "capabilities": [:], "clientInfo": ["name": "pier-doctor", "version": "1"],
        ]
        if let answer = try? await probe.rpc(url, "initialize", params: initialize, modern: false, extra: auth), answer.status == 200,
            let result = answer.message?["result"], let version = result["protocolVersion"]?.stringValue
        {
            legacy = true
            session = answer.header("Mcp-Session-Id")
            add("discovery", .pass, "initialize answers with protocol version \(version)" + (session == nil ? " (no session)" : " and a session"))
            if result["capabilities"]?["tools"] == nil { add("discovery", .warning, "initialize declares no tools capability", fix: "declare capabilities.tools") }
            _ = try? await probe.send(
                .POST, url,
                headers: [("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream"), ("MCP-Protocol-Version", version)]
                    + (session.map { [("Mcp-Session-Id", $0)] } ?? []) + auth,
                body: JSONValue.object(["jsonrpc": "2.0", "method": "notifications/initialized"]).serialized())
        } else {
            add("discovery", modern ? .warning : .blocking, "initialize does not answer", fix: "serve the 2025 eras' initialize: ChatGPT and most clients start with it")
        }
        return modern || legacy
    }

    static func ms(_ d: Duration) -> String {
        let value = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
        return value >= 100 ? "\(Int(value)) ms" : "\((value * 10).rounded() / 10) ms"
    }

    /// Every tool, page after page (at most 50 pages).
    mutating func listTools(_ probe: Probe) async -> [JSONValue] {
        var tools: [JSONValue] = []
        var cursor: String?
        var first = true
        for _ in 0..<50 {
            var params: JSONObject = [:]
            if let cursor { params["cursor"] = .string(cursor) }
            guard let answer = try? await probe.rpc(url, "tools/list", params: params, id: 2, modern: !legacy, session: session, extra: auth),
                let result = answer.message?["result"], case .array(let page)? = result["tools"]
            else {
                add("tools", .blocking, "tools/list does not answer", fix: "serve tools/list")
                return tools
            }
            if first {
                add("latency", answer.elapsed > .seconds(3) ? .warning : .info, "tools/list answered in \(Self.ms(answer.elapsed))", fix: "make tools/list fast: clients fetch it often")
                first = false
            }
            tools += page
            guard let next = result["nextCursor"]?.stringValue, !next.isEmpty else { break }
            cursor = next
        }
        return tools
    }
}
