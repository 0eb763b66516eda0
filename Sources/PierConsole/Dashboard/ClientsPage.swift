/// The Clients and keys page: OAuth clients, the grants people gave them, and API keys.
public struct ClientsPage: Sendable {
    public var clients: [OAuthClientRow]
    public var grants: [GrantRow]
    public var keys: [KeyRow]

    public init(clients: [OAuthClientRow], grants: [GrantRow], keys: [KeyRow]) {
        self.clients = clients
        self.grants = grants
        self.keys = keys
    }
}

/// One OAuth client: registered (DCR or at start-up), or known by its metadata document (CIMD).
public struct OAuthClientRow: Sendable {
    public var id: String
    public var name: String
    /// `DCR`, `CIMD` or `pre-registered`.
    public var kind: String
    public var redirectURIs: [String]
    public var created: String?
    public var grants: Int

    public init(id: String, name: String, kind: String, redirectURIs: [String], created: String?, grants: Int) {
        self.id = id
        self.name = name
        self.kind = kind
        self.redirectURIs = redirectURIs
        self.created = created
        self.grants = grants
    }
}

/// One grant: a user's consent to a client, alive while any of its tokens is.
public struct GrantRow: Sendable {
    public var family: String
    public var client: String
    public var subject: String
    public var scopes: String
    public var resource: String?
    public var expires: String

    public init(family: String, client: String, subject: String, scopes: String, resource: String?, expires: String) {
        self.family = family
        self.client = client
        self.subject = subject
        self.scopes = scopes
        self.resource = resource
        self.expires = expires
    }
}

/// One admin API key (only its prefix is ever shown).
public struct KeyRow: Sendable {
    public var name: String
    public var prefix: String
    public var created: String
    public var revoked: String?

    public init(name: String, prefix: String, created: String, revoked: String?) {
        self.name = name
        self.prefix = prefix
        self.created = created
        self.revoked = revoked
    }
}
