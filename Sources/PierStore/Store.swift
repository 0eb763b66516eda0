/// Everything a backend implements: each kind of record, plus schema management.
public protocol StoreBackend: StateStore, ServerRegistry, OAuthStore, APIKeyStore, ActivityLog, SessionRecordStore, UserStore {
    /// `memory`, `sqlite` or `postgres`.
    var name: String { get }
    /// Brings the schema up to date. - Throws: `StoreError.schemaTooNew` for a schema from a newer Pier.
    func migrate() async throws
    /// The schema version applied, and the newest this build knows.
    func schemaVersion() async throws -> (applied: Int, known: Int)
}

/// The schema versions, shared by every backend so they move together.
public enum StoreSchema {
    /// The newest schema version this build knows.
    public static let latest = 5
}
