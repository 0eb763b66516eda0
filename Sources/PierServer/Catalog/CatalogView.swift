public import MCPCore

/// What one endpoint shows of the catalogue: a filter applied to every list, read, get, completion and call that
/// comes through it.
///
/// One ``MCPServer`` serves many views: `/mcp` shows ``everything``, a read-only connector ``readOnly``, a named
/// connector a set of sources and name globs. A tool outside the view is not listed and cannot be called through
/// it (it is an unknown tool there). A view with a ``Rule`` depends on who asks, so its lists are marked
/// `cacheScope: "private"`.
///
/// ```swift
/// let readonly = MCPEndpoint(server: server, view: .readOnly, configuration: http)
/// let github = CatalogView(name: "github", sources: ["github"], tools: NameFilter(exclude: ["*delete*"]))
/// ```
public struct CatalogView: Sendable {
    /// Decides per caller whether a tool is shown (OAuth scopes, say); `principal` is `nil` for anonymous callers.
    public typealias Rule = @Sendable (_ tool: ToolEntry, _ principal: Principal?) -> Bool

    /// The settings, shared by every copy: a view travels with each request, so copying it is one retain.
    private final class Storage: Sendable {
        let name: String
        let sources: Set<String>?
        let readOnly: Bool
        let tools: NameFilter
        let rule: Rule?
        let overlays: [String: ToolOverlay]
        /// Overlay names → the names of the tools they present.
        let renamed: [String: String]
        let info: Implementation?
        let instructions: String?
        let isEverything: Bool

        init(
            name: String, sources: Set<String>?, readOnly: Bool, tools: NameFilter, rule: Rule?, overlays: [String: ToolOverlay], info: Implementation?,
            instructions: String?
        ) {
            self.name = name
            self.sources = sources
            self.readOnly = readOnly
            self.tools = tools
            self.rule = rule
            self.overlays = overlays
            var renamed: [String: String] = [:]
            for (underlying, overlay) in overlays { if let new = overlay.name { renamed[new] = underlying } }
            self.renamed = renamed
            self.info = info
            self.instructions = instructions
            self.isEverything = sources == nil && !readOnly && tools.isEverything && rule == nil && overlays.isEmpty
        }
    }
    private let storage: Storage

    /// - Parameters:
    ///   - overlays: how tools are presented through this view, by the name they have in the catalogue.
    ///   - info: the `serverInfo` this view's endpoint answers with; `nil` for the server's own.
    ///   - instructions: the instructions this view's endpoint gives; `nil` for the server's own.
    public init(
        name: String, sources: Set<String>? = nil, readOnly: Bool = false, tools: NameFilter = NameFilter(), rule: Rule? = nil,
        overlays: [String: ToolOverlay] = [:], info: Implementation? = nil, instructions: String? = nil
    ) {
        storage = Storage(
            name: name, sources: sources, readOnly: readOnly, tools: tools, rule: rule, overlays: overlays, info: info, instructions: instructions)
    }

    /// A name for logs and errors.
    public var name: String { storage.name }
    /// The sources shown; `nil` shows every source.
    public var sources: Set<String>? { storage.sources }
    /// Show only tools whose `readOnlyHint` is `true`.
    public var readOnly: Bool { storage.readOnly }
    /// Tool names shown.
    public var tools: NameFilter { storage.tools }
    /// A per-caller rule on top of the rest.
    public var rule: Rule? { storage.rule }
    /// How tools are presented, by their catalogue names.
    public var overlays: [String: ToolOverlay] { storage.overlays }
    /// The `serverInfo` of this view's endpoint, when it has its own.
    public var info: Implementation? { storage.info }
    /// The instructions of this view's endpoint, when it has its own.
    public var instructions: String? { storage.instructions }

    /// The catalogue name of the tool this view calls `name` (an overlay's new name, or the name itself);
    /// `nil` when the name is one an overlay renamed away.
    func catalogName(of name: String) -> String? {
        if let underlying = storage.renamed[name] { return underlying }
        if let overlay = storage.overlays[name], let new = overlay.name, new != name { return nil }
        return name
    }

    /// `tool` as this view presents it (with its overlay applied, if any).
    func present(_ tool: ToolEntry) -> ToolEntry {
        guard let overlay = storage.overlays[tool.name], let presented = try? overlay.apply(to: tool) else { return tool }
        return presented
    }

    /// The whole catalogue.
    public static let everything = CatalogView(name: "all")
    /// Every source, tools only when their `readOnlyHint` is `true` (the read-only connector).
    public static let readOnly = CatalogView(name: "readonly", readOnly: true)

    /// `true` when the view filters nothing, so lists can be served as they are.
    var isEverything: Bool { storage.isEverything }

    /// Whether what the view shows depends on the caller.
    public var dependsOnPrincipal: Bool { storage.rule != nil }

    /// Whether `tool` is shown to `principal`.
    public func admits(_ tool: ToolEntry, principal: Principal?) -> Bool {
        if storage.isEverything { return true }
        if let sources, !sources.contains(tool.source) { return false }
        if readOnly, !tool.isReadOnly { return false }
        guard tools.admits(tool.name) else { return false }
        return rule?(tool, principal) ?? true
    }

    /// Whether entries of `source` (resources, templates, prompts) are shown.
    public func admits(source: String) -> Bool { storage.sources?.contains(source) ?? true }
}
