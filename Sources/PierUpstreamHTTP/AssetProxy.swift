public import AsyncHTTPClient
public import NIOCore
import NIOHTTP1
import PierSync

/// Fetches an upstream's widget assets for Pier to serve under its own origin (`/upstreams/<name>/…`): GET only,
/// paths under the asset origin only, the upstream's caching headers passed on, and answers the upstream lets be
/// cached (`Cache-Control: max-age` without `no-store` or `private`) kept in a bounded memory cache until they
/// expire.
public final class AssetProxy: Sendable {
    /// One fetched asset.
    public struct Asset: Sendable {
        public let status: Int
        /// The headers passed on: `Content-Type`, `Cache-Control`, `ETag`, `Last-Modified`, `Expires`,
        /// `Content-Encoding`, `Vary`.
        public let headers: [(name: String, value: String)]
        public let body: ByteBuffer
    }

    static let passedHeaders = ["Content-Type", "Cache-Control", "ETag", "Last-Modified", "Expires", "Content-Encoding", "Vary"]

    public let origin: String
    public let maximumBytes: Int
    private let client: HTTPClient
    private let cache: Locked<AssetCache>

    /// - Parameters:
    ///   - origin: where the upstream's assets are (`http://internal:9000`), without a trailing slash.
    ///   - cacheBytes: how much of the cacheable answers is kept.
    public init(origin: String, client: HTTPClient, maximumBytes: Int = 16 * 1024 * 1024, cacheBytes: Int = 32 * 1024 * 1024) {
        var origin = origin
        while origin.hasSuffix("/") { origin.removeLast() }
        self.origin = origin
        self.client = client
        self.maximumBytes = maximumBytes
        self.cache = Locked(AssetCache(capacity: cacheBytes))
    }

    /// The asset at `path` (starting with `/`, without `..` segments), with the conditional headers the browser
    /// sent passed on.
    public func fetch(path: String, ifNoneMatch: String?, ifModifiedSince: String?) async throws -> Asset {
        guard path.hasPrefix("/"), !path.split(separator: "/").contains(".."), !path.contains("://") else {
            return Asset(status: 404, headers: [], body: ByteBuffer())
        }
        let now = ContinuousClock.now
        if ifNoneMatch == nil, ifModifiedSince == nil, let hit = cache.withLock({ $0.get(path, now: now) }) { return hit }
        var request = HTTPClientRequest(url: origin + path)
        request.method = .GET
        if let ifNoneMatch { request.headers.add(name: "If-None-Match", value: ifNoneMatch) }
        if let ifModifiedSince { request.headers.add(name: "If-Modified-Since", value: ifModifiedSince) }
        let response = try await client.execute(request, timeout: .seconds(30))
        var body = ByteBuffer()
        for try await chunk in response.body {
            guard body.readableBytes + chunk.readableBytes <= maximumBytes else { return Asset(status: 502, headers: [], body: ByteBuffer()) }
            body.writeImmutableBuffer(chunk)
        }
        var headers: [(name: String, value: String)] = []
        for name in Self.passedHeaders { if let value = response.headers.first(name: name) { headers.append((name, value)) } }
        let asset = Asset(status: Int(response.status.code), headers: headers, body: body)
        if asset.status == 200, let lifetime = Self.cacheLifetime(response.headers.first(name: "Cache-Control")) {
            cache.withLock { $0.put(path, asset, until: now + lifetime) }
        }
        return asset
    }

    /// How long an answer may be kept: its `max-age`, unless it says `no-store`, `no-cache` or `private`.
    static func cacheLifetime(_ cacheControl: String?) -> Duration? {
        guard let cacheControl else { return nil }
        var maxAge: Int?
        for directive in cacheControl.lowercased().split(separator: ",") {
            let parts = directive.split(separator: "=", maxSplits: 1).map { $0.filter { $0 != " " } }
            switch parts.first {
            case "no-store"?, "no-cache"?, "private"?: return nil
            case "max-age"? where parts.count == 2: maxAge = Int(parts[1])
            default: break
            }
        }
        guard let maxAge, maxAge > 0 else { return nil }
        return .seconds(maxAge)
    }
}

/// The cacheable answers, least recently used dropped first past the byte capacity.
struct AssetCache: Sendable {
    let capacity: Int
    private var entries: [String: (asset: AssetProxy.Asset, until: ContinuousClock.Instant, used: Int)] = [:]
    private var bytes = 0
    private var tick = 0

    init(capacity: Int) { self.capacity = capacity }

    mutating func get(_ path: String, now: ContinuousClock.Instant) -> AssetProxy.Asset? {
        guard let entry = entries[path] else { return nil }
        guard entry.until > now else {
            remove(path)
            return nil
        }
        tick += 1
        entries[path]?.used = tick
        return entry.asset
    }

    mutating func put(_ path: String, _ asset: AssetProxy.Asset, until: ContinuousClock.Instant) {
        guard asset.body.readableBytes <= capacity / 4 else { return }
        remove(path)
        tick += 1
        entries[path] = (asset, until, tick)
        bytes += asset.body.readableBytes
        while bytes > capacity, let oldest = entries.min(by: { $0.value.used < $1.value.used })?.key { remove(oldest) }
    }

    private mutating func remove(_ path: String) {
        if let old = entries.removeValue(forKey: path) { bytes -= old.asset.body.readableBytes }
    }
}
