/// A JSON object that keeps its members in order.
///
/// Equality ignores order, because JSON objects are unordered; serialization keeps it, so a forwarded object
/// reads the same as it arrived. Lookups are linear, which is the fastest choice for the small objects MCP uses.
public struct JSONObject: Sendable, Equatable, Sequence {
    /// One member of an object.
    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONValue
        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The members in order.
    public private(set) var members: [Member]

    /// An empty object.
    public init() { self.members = [] }

    /// An object of the given pairs, in order; a repeated key keeps its last value.
    public init(_ pairs: [(String, JSONValue)]) {
        self.members = []
        members.reserveCapacity(pairs.count)
        for (k, v) in pairs { self[k] = v }
    }

    init(members: [Member]) { self.members = members }

    /// The number of members.
    public var count: Int { members.count }
    /// `true` when there are no members.
    public var isEmpty: Bool { members.isEmpty }
    /// The keys in order.
    public var keys: [String] { members.map(\.key) }

    /// Reads, replaces, adds (at the end) or removes (with `nil`) a member.
    public subscript(key: String) -> JSONValue? {
        get {
            // Comparing lengths first skips the full comparison for nearly every member that is not the one.
            let length = key.utf8.count
            for m in members.reversed() where m.key.utf8.count == length && m.key == key { return m.value }
            return nil
        }
        set {
            let length = key.utf8.count
            if let i = members.lastIndex(where: { $0.key.utf8.count == length && $0.key == key }) {
                if let newValue { members[i].value = newValue } else { members.remove(at: i) }
            } else if let newValue {
                members.append(Member(key: key, value: newValue))
            }
        }
    }

    /// Reserves room for `capacity` members.
    public mutating func reserveCapacity(_ capacity: Int) { members.reserveCapacity(capacity) }

    /// Appends without looking for an existing key (the parser's fast path).
    mutating func appendUnchecked(_ key: String, _ value: JSONValue) {
        members.append(Member(key: key, value: value))
    }

    /// Adds every member of `other`, replacing members with the same key.
    public mutating func merge(_ other: JSONObject) {
        for m in other.members { self[m.key] = m.value }
    }

    public func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for m in lhs.members where rhs[m.key] != m.value { return false }
        return true
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self.init(elements) }
}
