/// A person who signs in to Pier's authorization server (and, later, its dashboard).
public struct UserRecord: Sendable, Equatable {
    public var name: String
    /// A bcrypt hash; never the password.
    public var passwordHash: String
    public var email: String?
    public var createdAt: Timestamp

    public init(name: String, passwordHash: String, email: String? = nil, createdAt: Timestamp = .now()) {
        self.name = name
        self.passwordHash = passwordHash
        self.email = email
        self.createdAt = createdAt
    }
}

/// Pier's users.
public protocol UserStore: Sendable {
    /// - Throws: `StoreError.duplicate` for a taken name.
    func createUser(_ user: UserRecord) async throws
    func user(name: String) async throws -> UserRecord?
    /// Every user, by name.
    func listUsers() async throws -> [UserRecord]
    /// Replaces a user's password hash; returns whether the user exists.
    func setPassword(name: String, passwordHash: String) async throws -> Bool
    func deleteUser(name: String) async throws -> Bool
}
