import Crypto
public import MCPCore
import PierSync

/// The copy of each endpoint's tool list that each client fetched last: its tool names and a fingerprint of the
/// descriptors. ChatGPT freezes a connector's tools when it fetches them; comparing its copy with the live list
/// tells an operator to press Refresh. One row per client name and view, the stalest forgotten beyond `capacity`.
public final class ToolListCopies: Sendable {
    public struct Copy: Sendable, Equatable {
        /// The client's `clientInfo.name` (`unknown` when it gave none).
        public let client: String
        /// The view (endpoint) it fetched through.
        public let view: String
        /// What it was sent.
        let items: [JSONValue]
        /// Milliseconds since 1970.
        public let fetchedAt: Int64

        public var names: [String] { items.map { $0["name"]?.stringValue ?? "" } }
        /// SHA-256 of the descriptors, in list order.
        public var fingerprint: String { ToolListCopies.fingerprint(items).fingerprint }
    }

    struct Key: Hashable {
        let client: String
        let view: String
    }

    public let capacity: Int
    private let copies = Locked<[Key: Copy]>([:])

    public init(capacity: Int = 256) { self.capacity = max(1, capacity) }

    /// Notes that `client` was sent `items` (the whole list) through `view`.
    func record(client info: JSONObject?, view: String, items: [JSONValue]) {
        let client = String((info?["name"]?.stringValue ?? "unknown").prefix(200))
        let copy = Copy(client: client, view: view, items: items, fetchedAt: WallClock.milliseconds())
        copies.withLock { table in
            let key = Key(client: client, view: view)
            if table[key] == nil, table.count >= capacity, let stalest = table.min(by: { $0.value.fetchedAt < $1.value.fetchedAt }) { table[stalest.key] = nil }
            table[key] = copy
        }
    }

    /// Every remembered copy, the latest first.
    public var all: [Copy] { copies.withLock { Array($0.values) }.sorted { $0.fetchedAt > $1.fetchedAt } }

    /// The tool names of `items` and the fingerprint of their descriptors.
    public static func fingerprint(_ items: [JSONValue]) -> (names: [String], fingerprint: String) {
        var hash = SHA256()
        var names: [String] = []
        names.reserveCapacity(items.count)
        for item in items {
            names.append(item["name"]?.stringValue ?? "")
            hash.update(data: item.serialized())
            hash.update(data: [0x0A])
        }
        return (names, hash.finalize().map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined())
    }
}

extension MCPServer {
    /// The tool names `view` shows anonymous callers now, and the fingerprint of their descriptors (to compare with
    /// ``ToolListCopies``).
    public func liveToolList(in view: CatalogView) -> (names: [String], fingerprint: String) {
        ToolListCopies.fingerprint(toolDescriptors(in: view, principal: nil))
    }
}
