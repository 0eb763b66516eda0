import Hummingbird
import HummingbirdBcrypt
import MCPCore
import Logging
import PierAuth
public import PierAuthHTTP
import PierHTTP
import PierServer
import PierStore

/// The endpoints' bearer check, with Pier's authorization server (`PIER_AUTH=oauth`) or with only the
/// protected-resource metadata naming an external identity provider (`PIER_AUTH=external`).
public struct BuiltAuth: Sendable {
    public let server: OAuthServer?
    public let resources: ProtectedResource
    public let access: BearerAccess

    func addRoutes<Context: ConnectionAwareRequestContext>(to router: Router<Context>) {
        if let server { server.addRoutes(to: router) } else { resources.addRoutes(to: router) }
    }
}

/// Pier's own authorization server for `config`: the issuer is the public URL, the resources are `/mcp` and each
/// connector (the read-only one offers `mcp:read` only).
func buildAuth(_ config: PierConfiguration, store: any StoreBackend, logger: Logger) throws -> BuiltAuth? {
    guard config.authMode != "none" else { return nil }
    let paths = ["/mcp", "/connectors/\(ConnectorSettings.builtInReadOnly)/mcp"] + config.connectors.map { "/connectors/\($0.name)/mcp" }
    var settings = AuthorizationService.Settings(issuer: config.publicBaseURL, resources: paths.map { config.publicBaseURL + $0 })
    settings.accessTokenLifetime = .milliseconds(Int(config.accessTokenMinutes * 60_000))
    settings.refreshTokenLifetime = .milliseconds(Int(config.refreshTokenDays * 86_400_000))
    let optional = Set(config.authOptional)
    let extra = ScopePolicy(overrides: config.toolScopes).extraScopes
    settings.extraScopes = extra
    let endpoints = paths.map { path in
        ProtectedResource.Endpoint(
            path: path,
            scopes: path == "/connectors/\(ConnectorSettings.builtInReadOnly)/mcp" || config.connectors.contains { "/connectors/\($0.name)/mcp" == path && $0.readOnly }
                ? [Scopes.read] : Scopes.supported + extra)
    }
    if config.authMode == "external", let issuer = config.externalIssuer {
        let external = ExternalTokenVerifier.Settings(issuer: issuer, audience: config.externalAudience, jwksURL: config.externalJWKSURL)
        let resources = ProtectedResource(baseURL: config.publicBaseURL, authorizationServers: [issuer], endpoints: endpoints)
        let verifier = ExternalTokenVerifier(settings: external, fetcher: ProviderFetcher())
        return BuiltAuth(server: nil, resources: resources, access: BearerAccess(resources: resources, verifier: verifier, optional: optional))
    }
    let service = AuthorizationService(settings: settings, store: store, metadataClients: try metadataClients(config, logger: logger))
    let server = OAuthServer(service: service, store: store, endpoints: endpoints, logger: logger)
    return BuiltAuth(server: server, resources: server.resources, access: BearerAccess(server: server, optional: optional))
}

/// The resolver of metadata-document clients (CIMD), fetching through ``SafeFetcher``; nil when turned off.
func metadataClients(_ config: PierConfiguration, logger: Logger) throws -> ClientMetadataResolver? {
    guard config.cimd else { return nil }
    if config.cimdAllowLoopback {
        logger.warning("PIER_OAUTH_CIMD_ALLOW_LOOPBACK is on: client metadata documents may be fetched from loopback addresses (a test switch)")
    }
    let settings = SafeFetcher.Settings(policy: AddressPolicy(allowsLoopback: config.cimdAllowLoopback), trustRootsFile: config.cimdTrustRoots)
    let fetcher: SafeFetcher
    do {
        fetcher = try SafeFetcher(settings: settings)
    } catch {
        throw ConfigurationError(key: "PIER_OAUTH_CIMD_CA_FILE", expected: "a readable PEM file of CA certificates", got: config.cimdTrustRoots ?? "")
    }
    return ClientMetadataResolver(fetcher: fetcher, hosts: config.cimdHosts.map(Set.init))
}

/// Registers (or re-registers, when its settings changed) the `OAUTH_CLIENT_ID` client.
func bootstrapClient(_ config: PierConfiguration, store: any StoreBackend, logger: Logger) async throws {
    guard config.authMode == "oauth", let wanted = config.preregisteredClient else { return }
    try RedirectURIChecked.check(wanted.redirectURI)
    var metadata: JSONObject = [
        "client_name": .string(wanted.id), "redirect_uris": [.string(wanted.redirectURI)],
        "token_endpoint_auth_method": .string(wanted.secret == nil ? "none" : "client_secret_basic"),
    ]
    if let scope = wanted.scope { metadata["scope"] = .string(scope) }
    let record = OAuthClientRecord(
        id: wanted.id, name: wanted.id, redirectURIs: [wanted.redirectURI], metadata: JSONValue.object(metadata).serialized(),
        secretHash: wanted.secret.map { SecretHash(of: $0) })
    if let existing = try await store.client(id: wanted.id) {
        guard existing.redirectURIs != record.redirectURIs || existing.secretHash != record.secretHash || existing.metadata != record.metadata else { return }
        _ = try await store.deleteClient(id: wanted.id)
    }
    try await store.createClient(record)
    logger.notice("OAuth client registered from OAUTH_CLIENT_ID", metadata: ["client": "\(wanted.id)"])
}

/// A redirect URI check that stops start-up with the setting's name.
enum RedirectURIChecked {
    static func check(_ uri: String) throws(ConfigurationError) {
        do {
            try RedirectURI.check(uri)
        } catch {
            throw ConfigurationError(key: "OAUTH_REDIRECT_URI", expected: "an https URL (or http to a loopback address)", got: error.description)
        }
    }
}

/// Creates the `PIER_ADMIN_USER` user when it is missing (its password is never changed here).
func bootstrapUser(_ config: PierConfiguration, store: any StoreBackend, logger: Logger) async throws {
    guard let name = config.adminUser, let password = config.adminPassword else { return }
    guard try await store.user(name: name) == nil else { return }
    try await store.createUser(UserRecord(name: name, passwordHash: Bcrypt.hash(password, cost: 12)))
    logger.notice("user created from PIER_ADMIN_USER", metadata: ["user": "\(name)"])
}
