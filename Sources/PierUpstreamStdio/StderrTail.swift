import PierSync

/// The last bytes a child wrote to stderr (32 KiB by default), kept for status pages and crash reasons.
public final class StderrTail: Sendable {
    public let capacity: Int
    private let bytes = Locked<[UInt8]>([])

    public init(capacity: Int = 32 * 1024) {
        self.capacity = capacity
    }

    /// Appends `chunk`, dropping the oldest bytes past the capacity.
    public func append(_ chunk: some Collection<UInt8>) {
        bytes.withLock { b in
            b.append(contentsOf: chunk.suffix(capacity))
            if b.count > capacity { b.removeFirst(b.count - capacity) }
        }
    }

    /// The last `count` lines kept, oldest first (a partial first line is dropped when the tail was cut).
    public func lastLines(_ count: Int) -> [String] {
        let text = bytes.withLock { String(decoding: $0, as: UTF8.self) }
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        return Array(lines.suffix(count))
    }
}
