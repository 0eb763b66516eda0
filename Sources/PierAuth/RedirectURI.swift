/// Which redirect URIs a client may register: https, or http to a loopback address (RFC 8252 §7.3); never a
/// fragment, user information, or a scheme that runs code (`javascript:`, `data:`).
public enum RedirectURI {
    /// - Throws: `invalid_redirect_uri` naming what is wrong.
    public static func check(_ uri: String) throws(OAuthError) {
        guard uri.utf8.count <= 2_000, !uri.unicodeScalars.contains(where: { $0.value <= 32 || $0.value == 127 }) else {
            throw .invalidRedirectURI("a redirect URI must be a URL without spaces or control characters")
        }
        let lower = uri.lowercased()
        let rest: Substring
        if lower.hasPrefix("https://") {
            rest = uri.dropFirst(8)
        } else if lower.hasPrefix("http://") {
            rest = uri.dropFirst(7)
            guard isLoopback(host(of: rest)) else { throw .invalidRedirectURI("http redirect URIs must point at a loopback address (127.0.0.1, [::1], localhost)") }
        } else {
            throw .invalidRedirectURI("redirect URIs must be https (or http to a loopback address)")
        }
        guard !uri.contains("#") else { throw .invalidRedirectURI("a redirect URI must not have a fragment") }
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        guard !authority.isEmpty, !authority.contains("@") else { throw .invalidRedirectURI("a redirect URI needs a host and no user information") }
    }

    static func host(of rest: Substring) -> String {
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if authority.hasPrefix("["), let end = authority.firstIndex(of: "]") { return String(authority[...end]).lowercased() }
        return String(authority.split(separator: ":", maxSplits: 1).first ?? "").lowercased()
    }

    /// `localhost`, `[::1]`, or an IPv4 address in 127.0.0.0/8 (a name that merely starts with `127.` is not).
    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "[::1]" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { $0.count <= 3 && !$0.isEmpty && $0.allSatisfy(\.isNumber) && Int($0)! <= 255 }
    }

    /// The host of a redirect URI, for the consent page.
    public static func displayHost(_ uri: String) -> String {
        guard let range = uri.firstRange(of: "://") else { return uri }
        return host(of: uri[range.upperBound...])
    }
}
