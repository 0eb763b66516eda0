import MCPCore
public import PierServer
public import PierWidgets

/// Deliberately broken widgets for checking a host (`--app lab`, off by default): the playground must show what
/// ChatGPT would block.
public enum LabApp {
    /// The origin the probe fetches without declaring it in `connect_domains`.
    public static let undeclaredOrigin = "https://api.undeclared.example"

    public static func make(kit: WidgetKit, library: WidgetLibrary) throws -> MCPApp {
        let widget = try kit.render(
            Widget(
                name: "csp-probe", title: "CSP probe",
                description: "A widget that fetches \(undeclaredOrigin) without declaring it, so a host that enforces the CSP blocks the request.",
                template: try library.template("csp-probe.html")))
        var app = MCPApp(name: "lab")
        app.add(widget)
        try app.tool(
            "csp_probe", title: "CSP probe", description: "Renders a widget that tries to reach an origin its CSP does not declare (a host check).",
            outputSchema: JSONSchema.object(properties: [("target", JSONSchema.string())], required: ["target"]),
            annotations: ToolAnnotations(readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false),
            widget: widget, invoking: "Loading the probe…", invoked: "Probe loaded"
        ) { _ in
            ToolResult(content: [.text("The probe widget will try to fetch \(undeclaredOrigin).")], structuredContent: ["target": .string(undeclaredOrigin)])
        }
        return app
    }
}
