/// The events one stream of a session logs, as they are logged (see ``LegacySession/follow(_:after:)``).
struct LogFollower: AsyncSequence, Sendable {
    let session: LegacySession
    let stream: Int
    let sent: Int
    let wakes: AsyncStream<Void>

    struct AsyncIterator: AsyncIteratorProtocol {
        let session: LegacySession
        let stream: Int
        var sent: Int
        var wakes: AsyncStream<Void>.AsyncIterator

        mutating func next() async -> [EventLog.Entry]? {
            while !Task.isCancelled {
                let (events, more) = session.read(stream, after: sent)
                if let last = events.last {
                    sent = last.sequence
                    return events
                }
                guard more, await wakes.next() != nil else { return nil }
            }
            return nil
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(session: session, stream: stream, sent: sent, wakes: wakes.makeAsyncIterator()) }
}
