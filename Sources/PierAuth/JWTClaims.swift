import JWTKit

/// The registered claims Pier reads from the JWTs it verifies: a client's `private_key_jwt` assertion, and an
/// external identity provider's access token. All optional, so each caller says which it needs.
struct JWTClaims: JWTPayload {
    var iss: String?
    var sub: String?
    var aud: AudienceClaim?
    var exp: Double?
    var nbf: Double?
    var jti: String?
    var scope: String?
    var scp: ScopeList?
    var client_id: String?
    var azp: String?

    /// Checked by the callers, each with its own refusals.
    func verify(using algorithm: some JWTAlgorithm) async throws {}

    /// `scp` as a list or a space-separated string.
    struct ScopeList: Codable, Sendable {
        var values: [String]

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let list = try? container.decode([String].self) {
                values = list
            } else {
                values = Scopes.parse(try container.decode(String.self))
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(values)
        }
    }
}
