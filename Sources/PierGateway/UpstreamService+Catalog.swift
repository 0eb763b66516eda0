import Logging
import MCPClient
import MCPCore
import PierServer
import Synchronization

extension UpstreamService {
    /// Reads the lists and puts them in the catalogue.
    func refresh(_ session: ClientSession, negotiated: Negotiated) async throws {
        let lists = try await UpstreamLists.read(from: session, negotiated: negotiated, timeout: spec.timeout)
        let forwarder = Forwarder(server: spec.name, session: session, timeout: spec.timeout, gate: gate, logger: logger)
        let source = spec.source
        var taken: Set<String> = []
        for other in server.sources where other != source {
            for resource in server.entries(of: other).resources { taken.insert(resource.uri) }
        }
        let entries = try UpstreamCatalog(spec: spec, forwarder: forwarder, tasks: tasks, logger: logger).entries(lists, takenURIs: taken)
        try server.replace(source: source, with: entries)
        if !negotiated.isModern, negotiated.capabilities["resources"]?["subscribe"] == true {
            try await subscribe(session, to: entries.resources.map(\.uri))
        }
        update { s in
            s.status.tools = entries.tools.count
            s.status.resources = entries.resources.count + entries.templates.count
            s.status.prompts = entries.prompts.count
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
