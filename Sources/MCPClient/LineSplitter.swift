/// Cuts a byte stream into newline-delimited lines (stdio framing), refusing a line longer than the limit.
///
/// A value type fed chunk by chunk; a `\r` before the `\n` is dropped, and empty lines are skipped.
public struct LineSplitter: Sendable {
    public let maximumLineBytes: Int
    private var pending: [UInt8] = []
    /// Set while the rest of an over-long line is being thrown away.
    private var discarding = false

    /// One thing the splitter found in a chunk.
    public enum Piece: Sendable, Equatable {
        case line([UInt8])
        /// A line past the limit was dropped (its length so far).
        case overlong(Int)
    }

    public init(maximumLineBytes: Int) {
        self.maximumLineBytes = maximumLineBytes
    }

    /// Appends `chunk` and returns the complete lines (and dropped over-long ones) it finished.
    public mutating func feed(_ chunk: some Collection<UInt8>) -> [Piece] {
        var pieces: [Piece] = []
        var start = chunk.startIndex
        while let newline = chunk[start...].firstIndex(of: 0x0A) {
            let part = chunk[start..<newline]
            if discarding {
                discarding = false
            } else if pending.count + part.count > maximumLineBytes {
                pieces.append(.overlong(pending.count + part.count))
            } else {
                pending.append(contentsOf: part)
                if pending.last == 0x0D { pending.removeLast() }
                if !pending.isEmpty { pieces.append(.line(pending)) }
            }
            pending.removeAll(keepingCapacity: true)
            start = chunk.index(after: newline)
        }
        let rest = chunk[start...]
        if !discarding {
            if pending.count + rest.count > maximumLineBytes {
                pieces.append(.overlong(pending.count + rest.count))
                pending.removeAll()
                discarding = true
            } else {
                pending.append(contentsOf: rest)
            }
        }
        return pieces
    }
}
