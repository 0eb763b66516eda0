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
        let isEverything: Bool

        init(name: String, sources: Set<String>?, readOnly: Bool, tools: NameFilter, rule: Rule?) {
            self.name = name
            self.sources = sources
            self.readOnly = readOnly
            self.tools = tools
            self.rule = rule
            self.isEverything = sources == nil && !readOnly && tools.isEverything && rule == nil
        }
    }
    private let storage: Storage

    public init(name: String, sources: Set<String>? = nil, readOnly: Bool = false, tools: NameFilter = NameFilter(), rule: Rule? = nil) {
        storage = Storage(name: name, sources: sources, readOnly: readOnly, tools: tools, rule: rule)
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
