import HummingbirdBcrypt
public import PierStore

/// Checking a user's password, the same way wherever Pier signs people in (the authorization server's sign-in
/// page, the dashboard).
public enum Passwords {
    /// Whether `password` is user `name`'s, with bcrypt. A missing user costs the same time as a wrong password,
    /// and over-long input is refused before any hashing.
    public static func verify(name: String, password: String, in store: any UserStore) async -> Bool {
        guard !name.isEmpty, !password.isEmpty, name.utf8.count <= 256, password.utf8.count <= 1_024 else { return false }
        let user = try? await store.user(name: name)
        let matches = Bcrypt.verify(password, hash: user?.passwordHash ?? decoyHash)
        return user != nil && matches
    }

    /// A bcrypt hash no password matches, checked when the user does not exist.
    static let decoyHash = Bcrypt.hash(Base64URL.random(bytes: 24), cost: 12)

    /// The hash to store for `password` (bcrypt, cost 12).
    public static func hash(_ password: String) -> String { Bcrypt.hash(password, cost: 12) }
}
