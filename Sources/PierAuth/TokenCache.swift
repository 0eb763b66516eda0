import Crypto
import PierStore
import PierSync

/// Access tokens this instance validated lately, so that a request costs a hash and a dictionary lookup instead
/// of a store read. Entries are keyed by the token's SHA-256 digest (never the token) and hold what the resource
/// server needs, ready to use (the scopes as a set). An entry lives `lifetime` (1 s): a token another instance
/// revokes stops here within that (and the one store read that renews it); one revoked here stops at once (its
/// family is dropped). When an entry runs out, the first request to see it renews it from the store while the
/// others keep using it for at most `lifetime` more, so a busy token costs one store read a second, not one per
/// request in flight. At most `capacity` entries; past that the cache starts over.
final class TokenCache: Sendable {
    struct Entry: Sendable {
        var verified: VerifiedToken
        var resource: String?
        var expiresAt: Timestamp
        var family: String
        var until: ContinuousClock.Instant
        /// A request is reading the token from the store again.
        var renewing = false
    }

    /// What a lookup found: an entry to use, and whether this request should renew it.
    enum Lookup {
        case miss
        case fresh(Entry)
        case renew(Entry)
    }

    let lifetime: Duration
    let capacity: Int
    private let entries = Locked<[SHA256Digest: Entry]>([:])

    /// The SHA-256 of `token`, hashed straight from its UTF-8 storage (every request to a protected endpoint).
    static func digest(_ token: String) -> SHA256Digest {
        var hasher = SHA256()
        if token.utf8.withContiguousStorageIfAvailable({ hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }) == nil {
            hasher.update(data: Array(token.utf8))
        }
        return hasher.finalize()
    }

    init(lifetime: Duration = .seconds(1), capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = max(1, capacity)
    }

    func lookup(_ digest: SHA256Digest, now: ContinuousClock.Instant = .now) -> Lookup {
        entries.withLock { table in
            guard var entry = table[digest] else { return .miss }
            if entry.until > now { return .fresh(entry) }
            if entry.until + lifetime <= now {
                table[digest] = nil
                return .miss
            }
            if entry.renewing { return .fresh(entry) }
            entry.renewing = true
            table[digest] = entry
            return .renew(entry)
        }
    }

    /// Gives up a renewal that failed (the store is unreachable): the next request tries again.
    func abandonRenewal(_ digest: SHA256Digest) {
        entries.withLock { table in table[digest]?.renewing = false }
    }

    /// Forgets one token (found revoked or gone on renewal).
    func drop(_ digest: SHA256Digest) {
        _ = entries.withLock { $0.removeValue(forKey: digest) }
    }

    func keep(_ record: TokenRecord, digest: SHA256Digest, now: ContinuousClock.Instant = .now) {
        let entry = Entry(
            verified: VerifiedToken(subject: record.subject, scopes: Set(record.scopes), clientID: record.clientID), resource: record.resource,
            expiresAt: record.expiresAt, family: record.familyID, until: now + lifetime)
        entries.withLock { table in
            if table.count >= capacity { table.removeAll(keepingCapacity: true) }
            table[digest] = entry
        }
    }

    /// Forgets every token of `family` (revoked here).
    func drop(family: String) {
        entries.withLock { table in table = table.filter { $0.value.family != family } }
    }
}
