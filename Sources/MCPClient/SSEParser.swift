/// Reads a `text/event-stream` body into events, chunk by chunk: `event`, `data` (several lines joined by `\n`),
/// `id`, comments, `\n` or `\r\n` line ends. An event whose data passes the limit is refused.
public struct SSEParser: Sendable {
    /// One event of the stream.
    public struct Event: Sendable, Equatable {
        public var name: String
        public var data: String
        public var id: String?

        public init(name: String, data: String, id: String?) {
            self.name = name
            self.data = data
            self.id = id
        }
    }

    /// An event (or a line) passed the limit.
    public struct Overflow: Error, Sendable {
        public let limit: Int
    }

    public let maximumEventBytes: Int
    private var line: [UInt8] = []
    private var name = ""
    private var data: [UInt8] = []
    private var hasData = false
    /// The last `id` seen; it carries over to later events, as the standard says.
    public private(set) var lastID: String?

    public init(maximumEventBytes: Int) {
        self.maximumEventBytes = maximumEventBytes
    }

    /// The events `chunk` completes.
    public mutating func feed(_ chunk: some Sequence<UInt8>) throws(Overflow) -> [Event] {
        var events: [Event] = []
        for byte in chunk {
            guard byte == 0x0A else {
                line.append(byte)
                if line.count > maximumEventBytes { throw Overflow(limit: maximumEventBytes) }
                continue
            }
            if line.last == 0x0D { line.removeLast() }
            if line.isEmpty {
                if let event = finishEvent() { events.append(event) }
            } else {
                try field()
            }
            line.removeAll(keepingCapacity: true)
        }
        return events
    }

    private mutating func field() throws(Overflow) {
        if line.first == 0x3A { return }  // a comment (a keep-alive)
        let colon = line.firstIndex(of: 0x3A) ?? line.endIndex
        let key = String(decoding: line[..<colon], as: UTF8.self)
        var value = colon < line.endIndex ? line[line.index(after: colon)...] : []
        if value.first == 0x20 { value = value.dropFirst() }
        switch key {
        case "event": name = String(decoding: value, as: UTF8.self)
        case "data":
            if hasData { data.append(0x0A) }
            data.append(contentsOf: value)
            hasData = true
            if data.count > maximumEventBytes { throw Overflow(limit: maximumEventBytes) }
        case "id": lastID = String(decoding: value, as: UTF8.self)
        default: break
        }
    }

    private mutating func finishEvent() -> Event? {
        defer {
            name = ""
            data.removeAll(keepingCapacity: true)
            hasData = false
        }
        guard hasData else { return nil }
        return Event(name: name.isEmpty ? "message" : name, data: String(decoding: data, as: UTF8.self), id: lastID)
    }
}
