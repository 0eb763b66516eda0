import PierServer
import PierStore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `requestState` nonces claimed in the store's state table (namespace `pier.nonce`): a compare-and-set that
/// expects no entry, kept until the state itself expires, so a state is used once however many instances serve.
struct StoreNonceLedger: NonceLedger {
    static let namespace = "pier.nonce"
    let store: any StateStore

    func claim(_ nonce: String, until expiry: Int64) async throws -> Bool {
        let remaining = max(1, expiry - Int64(Date().timeIntervalSince1970))
        let outcome = try await store.compareAndSet(namespace: Self.namespace, key: nonce, expectedVersion: nil, value: [1], ttl: .seconds(remaining))
        return outcome.entry != nil
    }
}
