import Logging
import MCPClient
import MCPCore
import PierServer
import PierSync

extension UpstreamService {
    /// Reads the lists and puts them in the catalogue.
    func refresh(_ session: ClientSession, negotiated: Negotiated) async throws {
        let lists = try await UpstreamLists.read(from: session, negotiated: negotiated, timeout: spec.timeout)
        let forwarder = Forwarder(server: spec.name, session: session, timeout: spec.timeout, gate: gate, logger: logger)
        let catalog = UpstreamCatalog(spec: spec, forwarder: forwarder, tasks: tasks, logger: logger)
        var entries = CatalogEntries()
        var published = false
        // Another upstream may take a URI between the look and the replace (two connecting at once): look again.
        for attempt in 1...3 where !published {
            entries = try catalog.entries(lists, takenURIs: urisOfOtherSources())
            published = try publish(entries, lastAttempt: attempt == 3)
        }
        if !negotiated.isModern, negotiated.capabilities["resources"]?["subscribe"] == true {
            try await subscribe(session, to: entries.resources.map(\.uri))
        }
        update { s in
            s.upstreamTools = lists.tools
            s.status.tools = entries.tools.count
            s.status.resources = entries.resources.count + entries.templates.count
            s.status.prompts = entries.prompts.count
        }
    }

    /// The resource URIs the other sources serve now.
    func urisOfOtherSources() -> Set<String> {
        var taken: Set<String> = []
        for other in server.sources where other != spec.source {
            for resource in server.entries(of: other).resources { taken.insert(resource.uri) }
        }
        return taken
    }

    /// Puts `entries` in the catalogue; `false` when a resource URI was taken meanwhile and another try may work.
    func publish(_ entries: CatalogEntries, lastAttempt: Bool) throws(RegistrationError) -> Bool {
        do {
            try server.replace(source: spec.source, with: entries)
            return true
        } catch {
            guard !lastAttempt, error.message.contains("resource URI") else { throw error }
            return false
        }
    }

    /// The upstream resources Pier's clients may subscribe to: every listed one, up to a bound.
    func subscribable() -> [String] {
        Array(server.entries(of: spec.source).resources.map(\.uri).prefix(Self.subscriptionLimit))
    }

    static let subscriptionLimit = 1_000

    /// Subscribes a handshake-era upstream to `uris` it was not subscribed to yet on this connection, so that its
    /// `notifications/resources/updated` reach Pier (which passes them on only to clients that subscribed).
    func subscribe(_ session: ClientSession, to uris: [String]) async throws {
        let fresh = state.withLock { s -> [String] in
            let new = uris.prefix(Self.subscriptionLimit).filter { !s.subscribed.contains($0) }
            s.subscribed.formUnion(new)
            return new
        }
        for uri in fresh {
            do {
                _ = try await session.request(Method.resourcesSubscribe, params: ["uri": .string(uri)], timeout: spec.timeout)
            } catch ClientError.rpc(let error) {
                logger.debug("upstream refused a resource subscription", metadata: ["uri": "\(uri)", "error": "\(error.message)"])
            }
        }
    }
}
