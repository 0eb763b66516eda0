import HummingbirdBcrypt
import PierAuth
import PierAdminAPI
import PierStore

extension PierCommands {
    /// `pier users add NAME`: the password is the first line of standard input (never an argument, which other
    /// users of the machine could see).
    public static func addUser(_ settings: PierConfiguration, name: String, email: String?, password: String?) async throws(StartupError) -> String {
        guard !name.isEmpty, name.count <= 64, name.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 32 && $0 != ":" }) else {
            throw .configuration("a user name is 1–64 printable ASCII characters without spaces or colons")
        }
        guard let password, password.count >= 12 else { throw .configuration("give a password of at least 12 characters on standard input") }
        let hash = Bcrypt.hash(password, cost: 12)
        try await withStore(settings) { store in
            do {
                try await store.createUser(UserRecord(name: name, passwordHash: hash, email: email))
            } catch let error as StoreError where error.kind == .duplicate {
                _ = try await store.setPassword(name: name, passwordHash: hash)
            }
        }
        return "user \(name) saved"
    }

    /// `pier users list`.
    public static func listUsers(_ settings: PierConfiguration) async throws(StartupError) -> String {
        let users = try await withStore(settings) { store in try await store.listUsers() }
        guard !users.isEmpty else { return "no users" }
        return TextTable.render(
            [["NAME", "EMAIL", "CREATED"]] + users.map { [$0.name, $0.email ?? "-", ISOTime.string(milliseconds: $0.createdAt.milliseconds)] })
    }

    /// `pier users remove NAME`.
    public static func removeUser(_ settings: PierConfiguration, name: String) async throws(StartupError) -> String {
        let removed = try await withStore(settings) { store in try await store.deleteUser(name: name) }
        guard removed else { throw StartupError("no user named \(name)", exitCode: 65) }
        return "user \(name) removed"
    }
}

extension PierCommands {
    /// `pier auth rotate-keys`: a new current signing key in the store every instance reads.
    public static func rotateSigningKeys(_ settings: PierConfiguration) async throws(StartupError) -> String {
        let kid = try await withStore(settings) { store in try await SigningKeys(store: store).rotate() }
        return "signing key \(kid) is current; the previous keys stay in /auth/jwks.json"
    }
}
