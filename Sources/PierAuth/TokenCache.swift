import PierStore
import Synchronization

/// Access tokens this instance validated lately, so that a request costs a hash and a dictionary lookup instead
/// of a store read. An entry lives `lifetime` (1 s): a token another instance revokes stops here within that; one
/// revoked here stops at once (its family is dropped). At most `capacity` entries; past that the cache starts over.
final class TokenCache: Sendable {
    let lifetime: Duration
    let capacity: Int
    private let entries = Mutex<[SecretHash: (record: TokenRecord, until: ContinuousClock.Instant)]>([:])

    init(lifetime: Duration = .seconds(1), capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = max(1, capacity)
    }

    func record(for hash: SecretHash, now: ContinuousClock.Instant = .now) -> TokenRecord? {
        entries.withLock { table in
            guard let entry = table[hash] else { return nil }
            guard entry.until > now else {
                table[hash] = nil
                return nil
            }
            return entry.record
        }
    }

    func keep(_ record: TokenRecord, now: ContinuousClock.Instant = .now) {
        entries.withLock { table in
            if table.count >= capacity { table.removeAll(keepingCapacity: true) }
            table[record.tokenHash] = (record, now + lifetime)
        }
    }

    /// Forgets every token of `family` (revoked here).
    func drop(family: String) {
        entries.withLock { table in table = table.filter { $0.value.record.familyID != family } }
    }
}
