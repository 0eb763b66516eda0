import MCPCore

/// A bounded log of the SSE events a legacy session sent, for `Last-Event-ID` resumption.
///
/// Event ids are `"<stream>-<sequence>"`, unique across the session's streams and naming the stream, so a
/// resumed GET replays only that stream's later events, as the spec requires. The oldest events fall off
/// once `capacity` is reached.
struct EventLog: Sendable {
    struct Entry: Sendable {
        let stream: Int
        let sequence: Int
        let message: JSONRPCMessage
        var id: String { "\(stream)-\(sequence)" }
    }

    let capacity: Int
    private(set) var entries: [Entry] = []
    private var head = 0
    private var nextSequence = 1

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Records a message sent on `stream` and returns its event id.
    mutating func append(_ message: JSONRPCMessage, stream: Int) -> String {
        let entry = Entry(stream: stream, sequence: nextSequence, message: message)
        nextSequence += 1
        if entries.count < capacity {
            entries.append(entry)
        } else {
            entries[head] = entry
            head = (head + 1) % capacity
        }
        return entry.id
    }

    /// Parses an event id into stream and sequence.
    static func parse(_ id: String) -> (stream: Int, sequence: Int)? {
        let parts = id.split(separator: "-")
        guard parts.count == 2, let s = Int(parts[0]), let q = Int(parts[1]) else { return nil }
        return (s, q)
    }

    /// The events of `stream` after `sequence`, oldest first.
    func events(after sequence: Int, stream: Int) -> [Entry] {
        let ordered = entries.count < capacity ? entries : Array(entries[head...] + entries[..<head])
        return ordered.filter { $0.stream == stream && $0.sequence > sequence }
    }

    /// The newest sequence number handed out.
    var lastSequence: Int { nextSequence - 1 }
}
