import MCPCore
import PierGateway
import Testing

@Suite struct AssetRewriteTests {
    let rewrite = AssetRewrite(upstreamOrigin: "http://internal:9000/", publicPrefix: "https://pier.example/upstreams/gh", publicOrigin: "https://pier.example")

    @Test func htmlAndBothCSPDialectsMoveToPier() {
        let result: JSONObject = [
            "contents": [[
                "uri": "ui://widget/x.html", "mimeType": "text/html;profile=mcp-app",
                "text": "<script src=\"http://internal:9000/app.js\"></script><img src='http://internal:9000/a.png'>",
                "_meta": [
                    "ui": ["csp": ["resourceDomains": ["http://internal:9000", "https://cdn.example"], "connectDomains": ["http://internal:9000/"]],
                           "domain": "http://internal:9000"],
                    "openai/widgetDomain": "http://internal:9000",
                    "openai/widgetCSP": ["resource_domains": ["http://internal:9000", "https://pier.example"]],
                    "openai/widgetDescription": "kept",
                ],
            ]]
        ]
        let out = rewrite.readResult(result)
        let content = out["contents"]?.arrayValue?.first
        #expect(content?["text"] == "<script src=\"https://pier.example/upstreams/gh/app.js\"></script><img src='https://pier.example/upstreams/gh/a.png'>")
        #expect(content?["_meta"]?["ui"]?["csp"]?["resourceDomains"] == ["https://pier.example", "https://cdn.example"])
        #expect(content?["_meta"]?["ui"]?["csp"]?["connectDomains"] == ["https://pier.example"])
        // Deduplicated where Pier's origin was already there.
        #expect(content?["_meta"]?["openai/widgetCSP"]?["resource_domains"] == ["https://pier.example"])
        #expect(content?["_meta"]?["openai/widgetDescription"] == "kept")
        #expect(content?["_meta"]?["ui"]?["domain"] == "https://pier.example")
        #expect(content?["_meta"]?["openai/widgetDomain"] == "https://pier.example")
    }

    @Test func nonHTMLContentsKeepTheirText() {
        let result: JSONObject = ["contents": [["uri": "data://x", "mimeType": "text/plain", "text": "see http://internal:9000/x"]]]
        #expect(rewrite.readResult(result) == result)
    }
}
