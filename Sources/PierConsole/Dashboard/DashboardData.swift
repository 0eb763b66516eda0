/// What the dashboard reads and changes in the rest of Pier, handed to it as closures (the application builds
/// them over the gateway, the server manager, the endpoints and the store), so that this module knows none of them.
public struct DashboardData: Sendable {
    /// Server actions from the Servers page; they go through the same code as `/api/v1`.
    public enum ServerAction: String, Sendable, CaseIterable {
        case start, stop, restart, remove
    }

    public var overview: @Sendable () -> ConsoleOverview
    /// Every upstream and app, with their figures.
    public var servers: @Sendable () -> [ServerRow]
    /// Runs `action` on server `name` for the signed-in `user`; `nil`, or what went wrong, to show.
    public var serverAction: @Sendable (_ name: String, _ action: ServerAction, _ user: String) async -> String?
    /// Adds a server from the form's fields for the signed-in `user`; `nil`, or what went wrong.
    public var addServer: @Sendable (_ fields: [String: String], _ user: String) async -> String?
    /// Open legacy sessions and recently seen clients.
    public var sessions: @Sendable () -> (sessions: [SessionRow], clients: [ClientRow])
    /// Ends the legacy session `id`; `false` when there is none.
    public var endSession: @Sendable (_ id: String) async -> Bool
    /// A page of the activity log, newest first.
    public var activity: @Sendable (ActivityQuery) async -> Result<[ActivityRow], ActivityUnavailable>
    /// Each endpoint's tools and the clients whose copy of its list is out of date.
    public var connectors: @Sendable () -> [ConnectorRow]
    /// OAuth clients, their grants, and API keys.
    public var clients: @Sendable () async -> Result<ClientsPage, ActivityUnavailable>
    /// Revokes, for the signed-in `user`, a grant (`grant`), a registered client with its grants (`client`) or an
    /// API key (`key`); `nil`, or what went wrong.
    public var revoke: @Sendable (_ what: Revocable, _ id: String, _ user: String) async -> String?

    /// What the Clients page can revoke.
    public enum Revocable: String, Sendable {
        case grant, client, key
    }

    /// Whether `password` is user `name`'s.
    public var verify: @Sendable (_ name: String, _ password: String) async -> Bool
    /// Called as the sign-in page is shown: when there is no user yet, makes the first one and says where its
    /// password is; else `nil`.
    public var prepareSignIn: @Sendable () async -> String?

    public init(
        overview: @escaping @Sendable () -> ConsoleOverview, servers: @escaping @Sendable () -> [ServerRow],
        serverAction: @escaping @Sendable (String, ServerAction, String) async -> String?, addServer: @escaping @Sendable ([String: String], String) async -> String?,
        sessions: @escaping @Sendable () -> (sessions: [SessionRow], clients: [ClientRow]), endSession: @escaping @Sendable (String) async -> Bool,
        activity: @escaping @Sendable (ActivityQuery) async -> Result<[ActivityRow], ActivityUnavailable>, connectors: @escaping @Sendable () -> [ConnectorRow],
        clients: @escaping @Sendable () async -> Result<ClientsPage, ActivityUnavailable>, revoke: @escaping @Sendable (Revocable, String, String) async -> String?,
        verify: @escaping @Sendable (String, String) async -> Bool, prepareSignIn: @escaping @Sendable () async -> String?
    ) {
        self.overview = overview
        self.servers = servers
        self.serverAction = serverAction
        self.addServer = addServer
        self.sessions = sessions
        self.endSession = endSession
        self.activity = activity
        self.connectors = connectors
        self.clients = clients
        self.revoke = revoke
        self.verify = verify
        self.prepareSignIn = prepareSignIn
    }
}

/// The activity log could not be read.
public struct ActivityUnavailable: Error, Sendable {
    public init() {}
}
