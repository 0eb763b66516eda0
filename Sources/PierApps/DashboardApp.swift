import MCPCore
public import PierServer
public import PierWidgets

/// "Show me the dashboard": live figures from Pier itself (uptime, what it serves, the latest tool calls).
public enum DashboardApp {
    public static func make(kit: WidgetKit, library: WidgetLibrary, serverName: String, version: String) throws -> MCPApp {
        let widget = try kit.render(
            Widget(
                name: "dashboard", title: "Pier dashboard",
                description: "Pier's live figures: uptime, how many tools, resources and prompts it serves, and its latest tool calls.",
                template: try library.template("dashboard.html"), displayModes: ["inline", "fullscreen"], sample: sample))
        var app = MCPApp(name: "dashboard")
        app.add(widget)
        let handler: @Sendable (MCPRequestContext) async throws -> ToolResult = { ctx in
            let stats = ctx.server.statistics
            let figures = figures(stats, name: serverName, version: version)
            let text = "Pier has been up \(Int(stats.uptime.components.seconds)) s, serves \(stats.toolCount) tools, and has answered \(stats.totalCalls) tool calls (\(stats.failedCalls) failed)."
            return ToolResult(content: [.text(text)], structuredContent: figures)
        }
        try app.tool(
            "show_dashboard", title: "Show the dashboard",
            description: "Use this when the user asks for the dashboard or how Pier is doing: uptime, what it serves and its latest tool calls.",
            outputSchema: schema, annotations: ToolAnnotations(readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false),
            widget: widget, invoking: "Reading Pier's figures…", invoked: "Dashboard ready", handler: handler)
        try app.tool(
            "dashboard_stats", title: "Refresh dashboard figures", description: "The dashboard widget's refresh: the same figures, for the widget only.",
            outputSchema: schema, annotations: ToolAnnotations(readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false),
            widget: widget, visibility: .appOnly, handler: handler)
        return app
    }

    static func figures(_ s: ServerStatistics, name: String, version: String) -> JSONValue {
        let now = ContinuousClock.now
        let recent: [JSONValue] = s.recentCalls.prefix(10).map { call in
            [
                "tool": .string(call.tool), "ok": .bool(!call.failed),
                "milliseconds": .double((call.duration / .milliseconds(1) * 10).rounded() / 10),
                "secondsAgo": .int(Int((now - call.finishedAt).components.seconds)),
            ]
        }
        return [
            "server": ["name": .string(name), "version": .string(version)],
            "uptimeSeconds": .int(Int(s.uptime.components.seconds)),
            "tools": .int(s.toolCount), "resources": .int(s.resourceCount), "prompts": .int(s.promptCount),
            "calls": ["total": .int(s.totalCalls), "failed": .int(s.failedCalls)],
            "recentCalls": .array(recent),
        ]
    }

    static let schema: JSONValue = JSONSchema.object(
        properties: [
            ("server", JSONSchema.object(properties: [("name", JSONSchema.string()), ("version", JSONSchema.string())], required: ["name", "version"])),
            ("uptimeSeconds", JSONSchema.integer()), ("tools", JSONSchema.integer()), ("resources", JSONSchema.integer()), ("prompts", JSONSchema.integer()),
            ("calls", JSONSchema.object(properties: [("total", JSONSchema.integer()), ("failed", JSONSchema.integer())], required: ["total", "failed"])),
            ("recentCalls", JSONSchema.array(of: JSONSchema.object(
                properties: [("tool", JSONSchema.string()), ("ok", JSONSchema.boolean()), ("milliseconds", JSONSchema.number()), ("secondsAgo", JSONSchema.integer())],
                required: ["tool", "ok", "milliseconds", "secondsAgo"]))),
        ], required: ["server", "uptimeSeconds", "tools", "resources", "prompts", "calls", "recentCalls"])

    static let sample: JSONValue = [
        "server": ["name": "pier", "version": "preview"], "uptimeSeconds": 5400, "tools": 9, "resources": 4, "prompts": 0,
        "calls": ["total": 42, "failed": 1],
        "recentCalls": [
            ["tool": "add_to_cart", "ok": true, "milliseconds": 2.4, "secondsAgo": 12],
            ["tool": "show_dashboard", "ok": true, "milliseconds": 0.8, "secondsAgo": 40],
        ],
    ]
}
