import MCPCore
import PierAuth
public import PierStore

/// Who is signed in to the dashboard: a random token in an HttpOnly cookie, stored only as its SHA-256 in the
/// shared store (so any instance behind the load balancer knows the session), with the user's name and the
/// session's CSRF token. Sessions last 12 hours; logging out deletes one.
public struct DashboardSessions: Sendable {
    let store: any StateStore
    static let namespace = "dashboard.session"
    static let lifetime = Duration.seconds(12 * 3600)

    /// A signed-in session.
    public struct Session: Sendable, Equatable {
        public let user: String
        /// The token every form's POST must carry back.
        public let csrf: String
    }

    public init(store: any StateStore) { self.store = store }

    /// Starts a session for `user`; returns the cookie's token.
    func start(user: String) async throws -> (token: String, session: Session) {
        let token = Self.random()
        let session = Session(user: user, csrf: Self.random())
        let value = JSONValue.object(["user": .string(user), "csrf": .string(session.csrf)]).serialized()
        _ = try await store.compareAndSet(namespace: Self.namespace, key: SecretHash(of: token).hex, expectedVersion: nil, value: value, ttl: Self.lifetime)
        return (token, session)
    }

    /// The live session `token` names, if any.
    func session(_ token: String) async -> Session? {
        guard token.utf8.count <= 128, let entry = try? await store.get(namespace: Self.namespace, key: SecretHash(of: token).hex),
            case .object(let object)? = try? JSONValue(parsing: entry.value), let user = object["user"]?.stringValue, let csrf = object["csrf"]?.stringValue
        else { return nil }
        return Session(user: user, csrf: csrf)
    }

    /// Ends the session `token` names.
    func end(_ token: String) async {
        _ = try? await store.delete(namespace: Self.namespace, key: SecretHash(of: token).hex, expectedVersion: nil)
    }

    /// 32 random bytes, base64url.
    static func random() -> String { Base64URL.random(bytes: 32) }
}
