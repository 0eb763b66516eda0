import PierSync

/// Hands each message a bus receives to every local reader, each through a bounded buffer.
public final class ClusterFanout: Sendable {
    private struct State {
        var next = 0
        var readers: [Int: AsyncStream<ClusterMessage>.Continuation] = [:]
        var finished = false
    }
    private let state = Locked(State())
    let bufferSize: Int

    public init(bufferSize: Int = 1_024) { self.bufferSize = bufferSize }

    /// A reader of what is delivered from now on.
    public func stream() -> AsyncStream<ClusterMessage> {
        let (stream, continuation) = AsyncStream<ClusterMessage>.makeStream(bufferingPolicy: .bufferingNewest(bufferSize))
        let id = state.withLock { s -> Int? in
            guard !s.finished else { return nil }
            s.next += 1
            s.readers[s.next] = continuation
            return s.next
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in _ = self?.state.withLock { $0.readers.removeValue(forKey: id) } }
        return stream
    }

    public func deliver(_ message: ClusterMessage) {
        state.withLock { s in for reader in s.readers.values { reader.yield(message) } }
    }

    /// Ends every reader's stream (the bus has stopped).
    public func finish() {
        let readers = state.withLock { s in
            s.finished = true
            defer { s.readers = [:] }
            return Array(s.readers.values)
        }
        for reader in readers { reader.finish() }
    }
}
