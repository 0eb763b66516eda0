public import MCPCore
public import PierStore

/// Dynamic client registration (RFC 7591): a client's metadata checked and turned into a stored client. Public
/// clients (`none`) get no secret; confidential ones (`client_secret_post`, `client_secret_basic`) get one, shown
/// once and stored only as a hash. A registered client stays valid: ChatGPT registers once per connection.
public enum ClientRegistration {
    public static let authMethods = ["none", "client_secret_post", "client_secret_basic"]

    /// The client to store, its secret (confidential clients), and the registration response.
    public static func register(_ metadata: JSONObject, now: Timestamp = .now()) throws(OAuthError) -> (client: OAuthClientRecord, secret: String?, response: JSONObject) {
        guard case .array(let uris)? = metadata["redirect_uris"], !uris.isEmpty, uris.count <= 20 else {
            throw .invalidRedirectURI("redirect_uris must list 1–20 redirect URIs")
        }
        var redirects: [String] = []
        for value in uris {
            guard case .string(let uri) = value else { throw .invalidRedirectURI("each redirect URI must be a string") }
            try RedirectURI.check(uri)
            redirects.append(uri)
        }
        let method = metadata["token_endpoint_auth_method"]?.stringValue ?? "client_secret_basic"
        guard authMethods.contains(method) else {
            throw .invalidClientMetadata("token_endpoint_auth_method must be one of \(authMethods.joined(separator: ", "))")
        }
        if let grants = metadata["grant_types"] {
            guard case .array(let items) = grants, items.allSatisfy({ ["authorization_code", "refresh_token"].contains($0.stringValue ?? "") }) else {
                throw .invalidClientMetadata("grant_types may only hold authorization_code and refresh_token")
            }
        }
        if let types = metadata["response_types"] {
            guard case .array(let items) = types, items.allSatisfy({ $0.stringValue == "code" }) else {
                throw .invalidClientMetadata("response_types may only hold code")
            }
        }
        let name = metadata["client_name"]?.stringValue.map { String($0.prefix(200)) } ?? "unnamed client"
        if let scope = metadata["scope"], scope.stringValue == nil { throw .invalidClientMetadata("scope must be a string") }
        let id = "pier_client_" + Base64URL.random(bytes: 16)
        let secret = method == "none" ? nil : "pier_secret_" + Base64URL.random(bytes: 32)
        var stored = metadata
        stored["token_endpoint_auth_method"] = .string(method)
        stored["client_id"] = .string(id)
        let client = OAuthClientRecord(
            id: id, name: name, redirectURIs: redirects, metadata: JSONValue.object(stored).serialized(), secretHash: secret.map { SecretHash(of: $0) }, createdAt: now)
        var response = stored
        response["client_id_issued_at"] = .int(Int(now.milliseconds / 1000))
        if let secret {
            response["client_secret"] = .string(secret)
            response["client_secret_expires_at"] = 0
        }
        return (client, secret, response)
    }

    /// The token-endpoint authentication method a stored client registered.
    public static func authMethod(of client: OAuthClientRecord) -> String {
        guard case .object(let metadata)? = try? JSONValue(parsing: client.metadata) else { return client.secretHash == nil ? "none" : "client_secret_basic" }
        return metadata["token_endpoint_auth_method"]?.stringValue ?? (client.secretHash == nil ? "none" : "client_secret_basic")
    }
}
