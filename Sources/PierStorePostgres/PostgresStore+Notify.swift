import Logging
import PierSync
import Synchronization
import PostgresNIO
import PierStore

/// PostgreSQL's `LISTEN`/`NOTIFY`, for messages between the instances sharing the database.
extension PostgresStore {
    /// The longest payload `NOTIFY` carries (PostgreSQL's limit is 8,000 bytes); larger ones go by reference.
    public static let maxNotifyBytes = 7_900

    /// Sends `payload` to every session listening on `channel`, this one's included.
    /// - Throws: ``StoreError`` (`.unavailable` when PostgreSQL cannot be reached).
    public func notify(channel: String, payload: String) async throws {
        try await guarded { try await pool.query("SELECT pg_notify(\(channel), \(payload))", logger: logger) }
    }

    /// Listens on `channel` until cancelled, handing each payload to `receive` in the order PostgreSQL delivers
    /// them. The listening connection is held apart from the pool's queries; when it breaks (PostgreSQL restarted,
    /// the network cut) it is opened again, after `retry`, and `connected` runs each time listening (re)starts.
    public func listen(
        channel: String, retry: Duration = .seconds(1), connected: @Sendable () async -> Void = {}, receive: @Sendable (String) async -> Void
    ) async {
        let failing = Atomic(false)
        while !Task.isCancelled {
            do {
                // Unlike its queries (see CheckedPool), postgres-nio 1.33 writes LISTEN with a write promise and
                // fails the listener if that write fails, so a connection closing in that instant ends this call
                // with an error (and the loop listens again) rather than leaving it waiting.
                try await pool.withConnection { connection in
                    try await connection.connection.listen(on: channel) { notifications in
                        if failing.exchange(false, ordering: .relaxed) {
                            logger.notice("listening on PostgreSQL again", metadata: ["channel": "\(channel)"])
                        }
                        await connected()
                        for try await notification in notifications { await receive(notification.payload) }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                if !failing.exchange(true, ordering: .relaxed) {
                    logger.warning("lost PostgreSQL LISTEN; retrying", metadata: ["channel": "\(channel)", "error": "\(translate(error))"])
                }
            }
            try? await Task.sleep(for: retry)
        }
    }
}
