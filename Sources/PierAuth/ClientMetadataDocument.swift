public import MCPCore
public import PierStore

/// A Client ID Metadata Document (CIMD): a client whose `client_id` is an https URL serving its own metadata.
/// The document must name itself (`client_id` equal to the URL), a `client_name` and its `redirect_uris`; the
/// token-endpoint methods it may use are those it lists that Pier offers to such clients (`none`,
/// `private_key_jwt`), and `private_key_jwt` needs its keys (`jwks` or `jwks_uri`).
public struct ClientMetadataDocument: Sendable, Equatable {
    /// What Pier lets a metadata-document client use at the token endpoint.
    public static let authMethods: Set<String> = ["none", "private_key_jwt"]
    /// The most a document may weigh.
    public static let sizeLimit = 5 * 1024

    public var clientID: String
    public var name: String
    public var redirectURIs: [String]
    /// The token-endpoint methods both the document and Pier accept.
    public var authMethods: Set<String>
    /// The client's keys given inline (a JWKS as JSON), for `private_key_jwt`.
    public var jwks: String?
    /// Where the client publishes its keys, for `private_key_jwt`.
    public var jwksURI: String?
    /// The scopes the client limits itself to, if it does.
    public var scope: String?
    /// The whole document, as stored with the client.
    public var raw: JSONObject

    /// Whether `id` has the shape of a metadata-document client id: an https URL with a path, no fragment, no
    /// user information, no dot segments.
    public static func isDocumentURL(_ id: String) -> Bool {
        (try? checkedURL(id)) != nil
    }

    /// The host and port of an https client id URL, refused with the reason when it is not one.
    public static func checkedURL(_ id: String) throws(OAuthError) -> (host: String, port: Int, path: String) {
        guard id.utf8.count <= 2_000, !id.unicodeScalars.contains(where: { $0.value <= 32 || $0.value == 127 }) else {
            throw .invalidClient("a client id URL must not hold spaces or control characters")
        }
        guard id.hasPrefix("https://") else { throw .invalidClient("a client id URL must be https") }
        let rest = id.dropFirst(8)
        guard !id.contains("#") else { throw .invalidClient("a client id URL must not have a fragment") }
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        let path = rest.dropFirst(authority.count)
        guard !authority.isEmpty, !authority.contains("@") else { throw .invalidClient("a client id URL needs a host and no user information") }
        guard path.hasPrefix("/"), path.count > 1 else { throw .invalidClient("a client id URL needs a path") }
        let segments = path.prefix { $0 != "?" }.split(separator: "/", omittingEmptySubsequences: false)
        guard !segments.contains(where: { $0 == "." || $0 == ".." }) else { throw .invalidClient("a client id URL must not hold . or .. segments") }
        var host = String(authority).lowercased()
        var port = 443
        if host.hasPrefix("[") {
            guard let end = host.firstIndex(of: "]") else { throw .invalidClient("a client id URL has a broken IPv6 host") }
            let after = host[host.index(after: end)...]
            if after.hasPrefix(":") {
                guard let p = Int(after.dropFirst()), (1...65_535).contains(p) else { throw .invalidClient("a client id URL has a bad port") }
                port = p
            } else if !after.isEmpty {
                throw .invalidClient("a client id URL has a broken host")
            }
            host = String(host[...end])
        } else if let colon = host.lastIndex(of: ":") {
            guard let p = Int(host[host.index(after: colon)...]), (1...65_535).contains(p) else { throw .invalidClient("a client id URL has a bad port") }
            port = p
            host = String(host[..<colon])
        }
        guard !host.isEmpty else { throw .invalidClient("a client id URL needs a host") }
        return (host, port, String(path))
    }

    /// The document fetched from `url`, checked.
    public static func parse(_ body: [UInt8], url: String) throws(OAuthError) -> ClientMetadataDocument {
        guard body.count <= sizeLimit else { throw .invalidClient("the client metadata document is larger than \(sizeLimit) bytes") }
        guard case .object(let object)? = try? JSONValue(parsing: body) else {
            throw .invalidClient("the client metadata document is not a JSON object")
        }
        guard object["client_id"]?.stringValue == url else {
            throw .invalidClient("the client metadata document's client_id is not the URL it was fetched from")
        }
        guard let name = object["client_name"]?.stringValue, !name.isEmpty else { throw .invalidClient("the client metadata document has no client_name") }
        guard case .array(let uris)? = object["redirect_uris"], !uris.isEmpty, uris.count <= 20 else {
            throw .invalidClient("the client metadata document must list 1–20 redirect_uris")
        }
        var redirects: [String] = []
        for value in uris {
            guard case .string(let uri) = value else { throw .invalidClient("each of the document's redirect_uris must be a string") }
            do {
                try RedirectURI.check(uri)
            } catch {
                throw .invalidClient("the client metadata document's redirect URI is refused: \(error.description)")
            }
            redirects.append(uri)
        }
        if object["client_secret"] != nil || object["client_secret_expires_at"] != nil {
            throw .invalidClient("a client metadata document must not hold a client secret")
        }
        // The singular field (SEP-3149's transition) and the list; with neither, a public client.
        var declared = Set<String>()
        if let one = object["token_endpoint_auth_method"]?.stringValue { declared.insert(one) }
        if case .array(let list)? = object["token_endpoint_auth_methods_supported"] { declared.formUnion(list.compactMap(\.stringValue)) }
        if declared.isEmpty { declared = ["none"] }
        let methods = declared.intersection(authMethods)
        guard !methods.isEmpty else {
            throw .invalidClient("the document's token endpoint methods (\(declared.sorted().joined(separator: ", "))) include none Pier accepts (none, private_key_jwt)")
        }
        var jwks: String?
        if let inline = object["jwks"] {
            guard case .object = inline else { throw .invalidClient("the document's jwks must be a JSON Web Key Set object") }
            jwks = inline.serializedString()
        }
        let jwksURI = object["jwks_uri"]?.stringValue
        if let jwksURI { _ = try checkedURL(jwksURI) }
        if methods == ["private_key_jwt"], jwks == nil, jwksURI == nil {
            throw .invalidClient("the document asks for private_key_jwt but gives no jwks or jwks_uri")
        }
        if let grants = object["grant_types"] {
            guard case .array(let items) = grants, items.allSatisfy({ ["authorization_code", "refresh_token"].contains($0.stringValue ?? "") }) else {
                throw .invalidClient("the document's grant_types may only hold authorization_code and refresh_token")
            }
        }
        if let scope = object["scope"], scope.stringValue == nil { throw .invalidClient("the document's scope must be a string") }
        return ClientMetadataDocument(
            clientID: url, name: String(name.prefix(200)), redirectURIs: redirects, authMethods: methods, jwks: jwks, jwksURI: jwksURI,
            scope: object["scope"]?.stringValue, raw: object)
    }

    /// The client as the authorization service handles it (never stored: the document is its registration).
    public var record: OAuthClientRecord {
        var metadata = raw
        metadata["pier_auth_methods"] = .array(authMethods.sorted().map(JSONValue.string))
        return OAuthClientRecord(id: clientID, name: name, redirectURIs: redirectURIs, metadata: JSONValue.object(metadata).serialized(), secretHash: nil)
    }
}
