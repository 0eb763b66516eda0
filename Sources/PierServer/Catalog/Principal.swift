/// Who is calling, once an endpoint has authenticated the caller: the subject and the scopes it was granted.
public struct Principal: Sendable, Equatable {
    public var subject: String
    public var scopes: Set<String>

    public init(subject: String, scopes: Set<String> = []) {
        self.subject = subject
        self.scopes = scopes
    }
}
