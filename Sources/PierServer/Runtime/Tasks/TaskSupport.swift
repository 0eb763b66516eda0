/// Whether a tool's calls may run as tasks (the `io.modelcontextprotocol/tasks` extension): started now, polled
/// with `tasks/get`, fed input with `tasks/update`, stopped with `tasks/cancel`.
public enum TaskSupport: String, Sendable, Equatable {
    /// Always answered in the call itself.
    case forbidden
    /// A task for clients that declare the extension; answered in the call for the others.
    case optional
    /// Only as a task; a client without the extension gets -32021 naming it.
    case required
}

/// The tasks extension's identifier and methods.
public enum TasksExtension {
    public static let id = "io.modelcontextprotocol/tasks"
    public static let get = "tasks/get"
    public static let update = "tasks/update"
    public static let cancel = "tasks/cancel"
    public static let methods: Set<String> = [get, update, cancel]
}
