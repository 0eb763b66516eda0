import MCPCore
import PierHTTP
import PierStore

/// The cluster's legacy sessions in Pier's store (`pier_sessions`): every instance on one database serves every
/// session id.
struct StoreSessionDirectory: SessionDirectory {
    let store: any SessionRecordStore

    func save(_ session: SharedSession) async throws {
        let now = Timestamp.now()
        try await store.saveSession(
            SessionRecord(
                id: session.id, endpoint: session.endpoint, protocolVersion: session.protocolVersion.rawValue,
                capabilities: JSONValue.object(session.capabilities).serialized(), clientInfo: session.clientInfo.map { JSONValue.object($0).serialized() } ?? [],
                logLevel: session.logLevel?.rawValue, subscriptions: session.subscriptions.sorted(), createdAt: now, lastActiveAt: now))
    }

    func load(_ id: String) async throws -> SharedSession? { try await store.session(id: id).flatMap(Self.shared) }

    func touch(_ id: String) async throws -> SharedSession? { try await store.touchSession(id: id, at: .now()).flatMap(Self.shared) }

    private static func shared(_ record: SessionRecord) -> SharedSession? {
        // A record this build cannot read (a version it no longer speaks) is a session it cannot serve.
        guard let version = ProtocolVersion(rawValue: record.protocolVersion) else { return nil }
        return SharedSession(
            id: record.id, endpoint: record.endpoint, protocolVersion: version, capabilities: Self.object(record.capabilities) ?? [:],
            clientInfo: Self.object(record.clientInfo), logLevel: record.logLevel.flatMap(LogLevel.init(rawValue:)),
            subscriptions: Set(record.subscriptions))
    }

    func remove(_ id: String) async throws -> Bool { try await store.deleteSession(id: id) }

    private static func object(_ bytes: [UInt8]) -> JSONObject? {
        guard !bytes.isEmpty, case .object(let object)? = try? JSONValue(parsing: bytes) else { return nil }
        return object
    }
}
