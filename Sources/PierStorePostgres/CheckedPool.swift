import Logging
import NIOCore
import PostgresNIO

/// The connection pool, used so that no query waits forever on a connection PostgreSQL has just closed.
///
/// postgres-nio (1.33) hands a query to the connection's channel without a write promise, from whatever thread
/// the caller runs on. When PostgreSQL ends a connection (a restart, a failover, `pg_terminate_backend`) while
/// such a write is on its way to the channel's event loop, the channel can close and drop its handlers first:
/// the write then fails unseen, the query's promise is never completed, and the caller waits forever (a tool call
/// that never answers, a shutdown that never ends). `ConnectionLossTests` saw a few such calls in every 4 seconds
/// of terminations. So each query here is started on the connection's event loop, after checking there that the
/// channel is still active: the write then reaches the connection's handler in the same step, and the handler
/// fails the query if the connection closes later. A leased connection already closed is given back and another
/// leased (nothing was sent on it, so this is safe for writes too).
struct CheckedPool: Sendable {
    let client: PostgresClient
    /// Leases tried before giving up, each connection having been found closed.
    static let leaseAttempts = 4

    /// What a connection found closed throws (``PostgresStore/translate(_:)`` makes it `.unavailable`).
    struct ConnectionClosed: Error {}

    /// Runs `body` with an open connection of the pool.
    func withConnection<Result>(_ body: (OpenConnection) async throws -> Result) async throws -> Result {
        for _ in 0..<Self.leaseAttempts {
            let outcome: Result? = try await client.withConnection { connection in
                let open = OpenConnection(connection: connection)
                guard open.isOpen else { return nil }
                return .some(try await body(open))
            }
            if let outcome { return outcome }
        }
        throw ConnectionClosed()
    }

    /// Runs `query` on an open connection and reads its rows before the connection goes back.
    @discardableResult
    func query(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRows {
        try await withConnection { try await $0.query(query, logger: logger) }
    }

    /// Runs `body` in a transaction: `BEGIN`, then `COMMIT` if it returns or `ROLLBACK` if it throws (what it
    /// threw is rethrown).
    func withTransaction<Result>(logger: Logger, _ body: (OpenConnection) async throws -> Result) async throws -> Result {
        try await withConnection { connection in
            try await connection.query("BEGIN", logger: logger)
            let result: Result
            do {
                result = try await body(connection)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
            try await connection.query("COMMIT", logger: logger)
            return result
        }
    }
}

/// A leased connection whose every query starts on its event loop (see ``CheckedPool``).
struct OpenConnection {
    let connection: PostgresConnection

    var isOpen: Bool { !connection.isClosed }

    /// Runs `query` and reads its rows.
    /// - Throws: ``CheckedPool/ConnectionClosed`` when the connection has closed; PostgreSQL's errors.
    @discardableResult
    func query(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRows {
        let connection = self.connection
        let loop = connection.eventLoop
        // On the event loop, `isClosed` (the channel's `isActive`) and the query's write are one step.
        let result = try await loop.flatSubmit { () -> EventLoopFuture<PostgresQueryResult> in
            guard !connection.isClosed else { return loop.makeFailedFuture(CheckedPool.ConnectionClosed()) }
            return connection.query(query, logger: logger)
        }.get()
        return PostgresRows(rows: result.rows)
    }
}

/// Rows read in full, iterated (and decoded, with postgres-nio's `decode`) like a row sequence.
struct PostgresRows: AsyncSequence, Sendable {
    typealias Element = PostgresRow
    let rows: [PostgresRow]

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: IndexingIterator<[PostgresRow]>
        mutating func next() async -> PostgresRow? { base.next() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: rows.makeIterator()) }

    /// How many rows there are.
    func count() -> Int { rows.count }
}
