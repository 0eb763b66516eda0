import MCPCore
import PierSync

/// A fetched document and how long its server lets it be cached.
public struct FetchedDocument: Sendable, Equatable {
    public var body: [UInt8]
    /// `Cache-Control: max-age` (nil when the answer gave none); zero for `no-store`/`no-cache`.
    public var maxAge: Duration?

    public init(body: [UInt8], maxAge: Duration?) {
        self.body = body
        self.maxAge = maxAge
    }
}

/// Fetches a small https document for the authorization server (a client's metadata, its keys). An
/// implementation must refuse what ``AddressPolicy`` refuses at connect time, follow no redirect, and stop at
/// `limit` bytes and its timeout.
public protocol MetadataFetcher: Sendable {
    func fetch(_ url: String, limit: Int) async throws(OAuthError) -> FetchedDocument
}

/// Metadata-document clients resolved from their URL, kept as long as their server allows (at most a day;
/// five minutes when it does not say), fetched again after that. An optional host allowlist limits which
/// clients may sign in this way at all.
public final class ClientMetadataResolver: Sendable {
    let fetcher: any MetadataFetcher
    /// When set, only client ids on these hosts are accepted.
    public let hosts: Set<String>?
    private let documents: ExpiringTable<ClientMetadataDocument>
    private let keySets: ExpiringTable<String>

    public static let longestCache: Duration = .seconds(86_400)
    public static let defaultCache: Duration = .seconds(300)

    public init(fetcher: any MetadataFetcher, hosts: Set<String>? = nil, capacity: Int = 1_000) {
        self.fetcher = fetcher
        self.hosts = hosts.map { Set($0.map { $0.lowercased() }) }
        self.documents = ExpiringTable(capacity: capacity)
        self.keySets = ExpiringTable(capacity: capacity)
    }

    /// How long a document may be kept, given its `max-age`.
    static func lifetime(_ maxAge: Duration?) -> Duration {
        min(maxAge ?? defaultCache, longestCache)
    }

    /// The client behind the metadata-document URL `url`.
    public func document(for url: String, now: ContinuousClock.Instant = .now) async throws(OAuthError) -> ClientMetadataDocument {
        let parts = try ClientMetadataDocument.checkedURL(url)
        if let hosts, !hosts.contains(parts.host) {
            throw .invalidClient("client metadata documents from \(parts.host) are not accepted here")
        }
        if let kept = documents.value(url, now: now) { return kept }
        let fetched = try await fetcher.fetch(url, limit: ClientMetadataDocument.sizeLimit)
        let document = try ClientMetadataDocument.parse(fetched.body, url: url)
        documents.keep(document, for: url, lifetime: Self.lifetime(fetched.maxAge), now: now)
        return document
    }

    /// The client's key set (JSON): inline in its document, else fetched from its `jwks_uri`. `fresh` skips the
    /// cache (a signature that fails against cached keys is retried once with fresh ones: the client may have
    /// rotated).
    public func keys(of document: ClientMetadataDocument, fresh: Bool = false, now: ContinuousClock.Instant = .now) async throws(OAuthError) -> String {
        if let inline = document.jwks { return inline }
        guard let uri = document.jwksURI else { throw .invalidClient("the client's metadata document gives no keys (jwks or jwks_uri)") }
        if !fresh, let kept = keySets.value(uri, now: now) { return kept }
        let fetched = try await fetcher.fetch(uri, limit: 64 * 1024)
        guard case .object(let object)? = try? JSONValue(parsing: fetched.body), case .array? = object["keys"] else {
            throw .invalidClient("the client's jwks_uri does not serve a JSON Web Key Set")
        }
        let jwks = JSONValue.object(object).serializedString()
        keySets.keep(jwks, for: uri, lifetime: Self.lifetime(fetched.maxAge), now: now)
        return jwks
    }
}

/// Values kept until a deadline each, at most `capacity` of them (past that the table starts over).
final class ExpiringTable<Value: Sendable>: Sendable {
    let capacity: Int
    private let entries = Locked<[String: (value: Value, until: ContinuousClock.Instant)]>([:])

    init(capacity: Int) { self.capacity = max(1, capacity) }

    func value(_ key: String, now: ContinuousClock.Instant) -> Value? {
        entries.withLock { table in
            guard let entry = table[key], entry.until > now else { return nil }
            return entry.value
        }
    }

    /// Keeps `value` for `lifetime`; a zero lifetime keeps nothing.
    func keep(_ value: Value, for key: String, lifetime: Duration, now: ContinuousClock.Instant) {
        guard lifetime > .zero else { return }
        entries.withLock { table in
            if table.count >= capacity, table[key] == nil { table.removeAll() }
            table[key] = (value, now + lifetime)
        }
    }
}
