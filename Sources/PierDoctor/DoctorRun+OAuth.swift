import Foundation
import MCPCore
import NIOHTTP1

extension DoctorRun {
    /// The way ChatGPT finds how to sign in: the challenge's `resource_metadata`, the protected-resource metadata,
    /// the authorization server's metadata, and what that must offer (S256, DCR or CIMD, `iss`).
    mutating func checkOAuth(_ probe: Probe, challenge: String?) async {
        guard let challenge, challenge.lowercased().hasPrefix("bearer") else {
            add("oauth", .blocking, "the server refuses without a WWW-Authenticate: Bearer challenge", fix: "answer 401 with WWW-Authenticate: Bearer resource_metadata=\"…\"")
            return
        }
        let metadataURL = Self.parameter("resource_metadata", in: challenge) ?? origin + "/.well-known/oauth-protected-resource"
        if Self.parameter("resource_metadata", in: challenge) == nil {
            add("oauth", .warning, "the challenge has no resource_metadata", fix: "add resource_metadata=\"<URL of the protected-resource metadata>\" to WWW-Authenticate")
        }
        guard let prm = await json(probe, metadataURL) else {
            add("oauth", .blocking, "no protected-resource metadata at \(metadataURL)", fix: "serve RFC 9728 metadata there")
            return
        }
        add("oauth", .pass, "protected-resource metadata at \(metadataURL)")
        if let resource = prm["resource"]?.stringValue, resource != url {
            add("oauth", .warning, "the metadata names the resource \(resource), not \(url)", fix: "set resource to the exact MCP URL (ChatGPT asks for tokens for it)")
        }
        guard case .array(let servers)? = prm["authorization_servers"], let issuer = servers.first?.stringValue else {
            add("oauth", .blocking, "the metadata lists no authorization_servers", fix: "list the issuer's URL in authorization_servers")
            return
        }
        guard let metadata = await authorizationServerMetadata(probe, issuer: issuer) else {
            add("oauth", .blocking, "no authorization-server metadata for \(issuer)", fix: "serve RFC 8414 metadata (or OpenID discovery) for the issuer")
            return
        }
        add("oauth", .pass, "authorization-server metadata for \(issuer)")
        let methods = metadata["code_challenge_methods_supported"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if methods.contains("S256") {
            add("oauth", .pass, "PKCE with S256")
        } else {
            add("oauth", .blocking, "code_challenge_methods_supported does not list S256", fix: "support PKCE S256 and say so in the metadata")
        }
        let dcr = metadata["registration_endpoint"]?.stringValue != nil
        let cimd = metadata["client_id_metadata_document_supported"] == true
        if dcr || cimd {
            add("oauth", .pass, "clients can register: " + [dcr ? "dynamic registration" : nil, cimd ? "client ID metadata documents" : nil].compactMap { $0 }.joined(separator: " and "))
        } else {
            add("oauth", .blocking, "neither registration_endpoint nor client_id_metadata_document_supported", fix: "offer DCR (RFC 7591) or CIMD so ChatGPT can register itself")
        }
        if metadata["authorization_response_iss_parameter_supported"] != true {
            add("oauth", .warning, "authorization_response_iss_parameter_supported is not true (RFC 9207)", fix: "send iss on the authorization response and say so")
        }
    }

    func json(_ probe: Probe, _ url: String) async -> JSONObject? {
        guard let answer = try? await probe.send(.GET, url, headers: [("Accept", "application/json")]), answer.status == 200 else { return nil }
        return (try? JSONValue(parsing: answer.body))?.objectValue
    }

    /// RFC 8414 first (the well-known path inserted before the issuer's path), then OpenID discovery.
    func authorizationServerMetadata(_ probe: Probe, issuer: String) async -> JSONObject? {
        guard let parts = URLComponents(string: issuer), let scheme = parts.scheme, let host = parts.host else { return nil }
        let base = "\(scheme)://\(host)" + (parts.port.map { ":\($0)" } ?? "")
        let path = parts.path == "/" ? "" : parts.path
        for candidate in [base + "/.well-known/oauth-authorization-server" + path, base + "/.well-known/openid-configuration" + path, issuer + "/.well-known/openid-configuration"] {
            if let found = await json(probe, candidate) { return found }
        }
        return nil
    }

    /// `name="value"` (or `name=value`) in a challenge.
    static func parameter(_ name: String, in challenge: String) -> String? {
        guard let range = challenge.range(of: name + "=") else { return nil }
        var rest = challenge[range.upperBound...]
        if rest.hasPrefix("\"") {
            rest = rest.dropFirst()
            return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
        }
        return String(rest.prefix { $0 != "," && $0 != " " })
    }
}
