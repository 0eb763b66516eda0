import MCPCore
public import PierServer
public import PierWidgets

/// "What widgets are available?": every widget Pier serves, with its description and tools, and a widget that
/// previews each one with its sample data.
public enum GalleryApp {
    public static func make(kit: WidgetKit, library: WidgetLibrary) throws -> MCPApp {
        let widget = try kit.render(
            Widget(
                name: "gallery", title: "Widget gallery",
                description: "Every widget this Pier serves, with what it shows and which tools render it; select one to preview it.",
                template: try library.template("gallery.html"), displayModes: ["inline", "fullscreen"]))
        var app = MCPApp(name: "gallery")
        app.add(widget)
        try app.tool(
            "list_widgets", title: "List widgets",
            description: "Use this when the user asks what widgets or apps are available. Lists every widget with its description and the tools that show it.",
            outputSchema: schema, annotations: ToolAnnotations(readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false),
            widget: widget, invoking: "Looking up widgets…", invoked: "Widgets listed"
        ) { ctx in
            let tools = ctx.server.tools
            let entries: [JSONValue] = kit.widgets.map { w in
                let users = tools.filter { tool in
                    let ui = tool.descriptor["_meta"]?["ui"]
                    return ui?["resourceUri"]?.stringValue == w.uri && ui?["visibility"]?.arrayValue?.contains("model") != false
                }
                var o: JSONObject = [
                    "name": .string(w.widget.name), "title": .string(w.widget.title), "description": .string(w.widget.description),
                    "uri": .string(w.uri), "mimeType": .string(WidgetKit.mimeType), "tools": .array(users.map { .string($0.name) }),
                ]
                if let sample = w.widget.sample { o["sample"] = sample }
                return .object(o)
            }
            let names = kit.widgets.map(\.widget.title).joined(separator: ", ")
            return ToolResult(content: [.text("\(entries.count) widgets: \(names).")], structuredContent: ["widgets": .array(entries)])
        }
        return app
    }

    static let schema: JSONValue = JSONSchema.object(
        properties: [
            ("widgets", JSONSchema.array(of: JSONSchema.object(
                properties: [
                    ("name", JSONSchema.string()), ("title", JSONSchema.string()), ("description", JSONSchema.string()), ("uri", JSONSchema.string()),
                    ("mimeType", JSONSchema.string()), ("tools", JSONSchema.array(of: JSONSchema.string())), ("sample", ["type": "object"]),
                ], required: ["name", "title", "description", "uri", "mimeType", "tools"])))
        ], required: ["widgets"])
}
