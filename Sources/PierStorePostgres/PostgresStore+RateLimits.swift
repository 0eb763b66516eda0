public import PierStore
import PostgresNIO

extension PostgresStore: RateLimitStore {
    public func takeToken(key: String, capacity: Double, refillPerSecond: Double) async throws -> (granted: Bool, tokens: Double) {
        let perMillisecond = refillPerSecond / 1000
        return try await guarded {
            // One statement: concurrent takes in any instance serialise on the row. In SET, `b.` is the row
            // before this update, and `excluded.updated_at` is the database's clock now.
            let rows = try await pool.query(
                """
                INSERT INTO pier_rate_buckets AS b (key, tokens, updated_at, granted)
                VALUES (\(key), \(capacity) - 1, extract(epoch from clock_timestamp()) * 1000, true)
                ON CONFLICT (key) DO UPDATE SET
                    tokens = LEAST(\(capacity), b.tokens + GREATEST(0, excluded.updated_at - b.updated_at) * \(perMillisecond))
                        - CASE WHEN LEAST(\(capacity), b.tokens + GREATEST(0, excluded.updated_at - b.updated_at) * \(perMillisecond)) >= 1 THEN 1 ELSE 0 END,
                    granted = LEAST(\(capacity), b.tokens + GREATEST(0, excluded.updated_at - b.updated_at) * \(perMillisecond)) >= 1,
                    updated_at = GREATEST(b.updated_at, excluded.updated_at)
                RETURNING granted, tokens
                """, logger: logger)
            for try await (granted, tokens) in rows.decode((Bool, Double).self) { return (granted, tokens) }
            return (true, capacity - 1)
        }
    }

    public func purgeRateBuckets(idle: Duration) async throws -> Int {
        let milliseconds = Double(idle.components.seconds) * 1000
        return try await guarded {
            try await pool.query(
                "DELETE FROM pier_rate_buckets WHERE updated_at < extract(epoch from clock_timestamp()) * 1000 - \(milliseconds) RETURNING 1", logger: logger
            ).count()
        }
    }
}
