import MCPCore

/// A bounded log of the SSE events a legacy session sent, for `Last-Event-ID` resumption.
///
/// Event ids are `"<stream>-<sequence>"`, unique across the session's streams and naming the stream, so a
/// resumed GET replays only that stream's later events, as the spec requires; in a cluster they end in
/// `"-<instance>"`, naming the instance that holds the log. The oldest events fall off once `capacity` is reached.
struct EventLog: Sendable {
    struct Entry: Sendable {
        let stream: Int
        let sequence: Int
        let message: JSONRPCMessage
        let owner: String?
        var id: String { EventLog.id(stream: stream, sequence: sequence, owner: owner) }
    }

    /// Where an event id points.
    struct Position: Equatable {
        var stream: Int
        var sequence: Int
        /// The instance whose log it is in; `nil`: this one's (ids made without a cluster).
        var owner: String?
    }

    let capacity: Int
    /// The instance this log belongs to, in a cluster.
    let owner: String?
    private(set) var entries: [Entry] = []
    private var head = 0
    private var nextSequence = 1

    init(capacity: Int, owner: String? = nil) {
        self.capacity = max(1, capacity)
        self.owner = owner
    }

    static func id(stream: Int, sequence: Int, owner: String?) -> String {
        owner.map { "\(stream)-\(sequence)-\($0)" } ?? "\(stream)-\(sequence)"
    }

    /// Records a message sent on `stream` and returns its event id.
    mutating func append(_ message: JSONRPCMessage, stream: Int) -> String {
        let entry = Entry(stream: stream, sequence: nextSequence, message: message, owner: owner)
        nextSequence += 1
        if entries.count < capacity {
            entries.append(entry)
        } else {
            entries[head] = entry
            head = (head + 1) % capacity
        }
        return entry.id
    }

    /// Parses an event id into stream, sequence and owner.
    static func parse(_ id: String) -> Position? {
        let parts = id.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, let s = Int(parts[0]), let q = Int(parts[1]), s >= 0, q >= 0 else { return nil }
        guard parts.count == 3 else { return Position(stream: s, sequence: q) }
        let owner = parts[2]
        guard !owner.isEmpty, owner.count <= 64, owner.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        return Position(stream: s, sequence: q, owner: String(owner))
    }

    /// The events of `stream` after `sequence`, oldest first.
    func events(after sequence: Int, stream: Int) -> [Entry] {
        let ordered = entries.count < capacity ? entries : Array(entries[head...] + entries[..<head])
        return ordered.filter { $0.stream == stream && $0.sequence > sequence }
    }

    /// The newest sequence number handed out.
    var lastSequence: Int { nextSequence - 1 }
}
