import PierServer
import PierStore
import PierWidgets
import Foundation

/// Which cart a call means.
struct CartID: Sendable {
    let key: String
    /// Whether the id may be shown to the model (it was given or minted, not the host's widget session id).
    let isShareable: Bool

    init(explicit: String?, host: HostHints) throws(ToolError) {
        if let explicit {
            guard (1...64).contains(explicit.utf8.count), explicit.utf8.allSatisfy(Self.isIDByte) else {
                throw ToolError("cartId must be 1–64 letters, digits, - or _")
            }
            key = explicit
            isShareable = true
        } else if let session = host.widgetSessionID, !session.isEmpty {
            key = "w-" + SecretHash(of: session).hex.prefix(32)
            isShareable = false
        } else {
            key = "c-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            isShareable = true
        }
    }

    static func isIDByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
    }
}

/// Carts in Pier's state store, changed only by compare-and-set.
struct CartStore: Sendable {
    let store: any StateStore

    /// The cart and its store version (0: never written).
    func read(_ id: CartID) async throws -> (cart: Cart, version: Int64) {
        guard let entry = try await store.get(namespace: CartApp.namespace, key: id.key) else { return (Cart(), 0) }
        return (try JSONDecoder().decode(Cart.self, from: Data(entry.value)), entry.version)
    }

    /// Applies `change` to the stored cart, retrying when another writer got there first; returns the cart as
    /// written and its new version.
    func update(_ id: CartID, _ change: (inout Cart) throws(ToolError) -> Void) async throws -> (cart: Cart, version: Int64) {
        for _ in 0..<16 {
            let entry = try await store.get(namespace: CartApp.namespace, key: id.key)
            var cart = try entry.map { try JSONDecoder().decode(Cart.self, from: Data($0.value)) } ?? Cart()
            try change(&cart)
            let bytes = [UInt8](try JSONEncoder().encode(cart))
            let outcome = try await store.compareAndSet(
                namespace: CartApp.namespace, key: id.key, expectedVersion: entry?.version, value: bytes, ttl: CartApp.lifetime)
            if let written = outcome.entry { return (cart, written.version) }
        }
        throw ToolError("The cart is being changed by many calls at once; try again")
    }
}
