import PierAuth
import PierStore

/// The sign-in and consent page of `/auth/authorize`: who asks (the client's name and its redirect host), for
/// what (the scopes and the resource), a name and password, Allow and Deny. Server-rendered, no script.
enum AuthorizePage {
    static func render(request: AuthorizationService.Request, fields: [String: String], csrf: String, message: String?) -> String {
        let hidden = fields.filter { ["client_id", "redirect_uri", "response_type", "state", "scope", "resource", "code_challenge", "code_challenge_method", "nonce"].contains($0.key) }
            .sorted { $0.key < $1.key }
            .map { "<input type=\"hidden\" name=\"\(HTML.escape($0.key))\" value=\"\(HTML.escape($0.value))\">" }
            .joined(separator: "\n")
        let scopes = request.scopes.map { scope in
            "<li><code>\(HTML.escape(scope))</code> — \(describe(scope))</li>"
        }.joined()
        let notice = message.map { "<p class=\"error\" role=\"alert\">\(HTML.escape($0))</p>" } ?? ""
        return page(
            title: "Sign in to Pier",
            body: """
                <h1>Sign in to Pier</h1>
                <p><strong>\(HTML.escape(request.client.name))</strong> asks to use Pier for you.
                It will be sent back to <strong>\(HTML.escape(RedirectURI.displayHost(request.redirectURI)))</strong>.</p>
                \(publisher(request.client))
                <p>It asks for:</p>
                <ul>\(scopes)</ul>
                <p class="resource">on <code>\(HTML.escape(request.resource))</code></p>
                \(notice)
                <form method="post" action="/auth/authorize">
                \(hidden)
                <input type="hidden" name="csrf_token" value="\(HTML.escape(csrf))">
                <label>Name <input name="username" autocomplete="username" required autofocus></label>
                <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
                <div class="actions">
                <button type="submit" name="decision" value="allow">Allow</button>
                <button type="submit" name="decision" value="deny" formnovalidate>Deny</button>
                </div>
                </form>
                """)
    }

    static func describe(_ scope: String) -> String {
        switch scope {
        case Scopes.write: "use every tool, including those that change things"
        case Scopes.read: "list and read, and use tools that change nothing"
        case "openid": "know who you are on this Pier (your user name)"
        case "email": "see your email address"
        case "profile": "see your user name"
        default: "an unknown scope"
        }
    }

    /// For a metadata-document client, the host that vouches for its name (the host serving its document).
    static func publisher(_ client: OAuthClientRecord) -> String {
        guard let parts = try? ClientMetadataDocument.checkedURL(client.id) else { return "" }
        return "<p class=\"publisher\">Its name is published by <strong>\(HTML.escape(parts.host))</strong>.</p>"
    }

    /// A page for an error that cannot be sent back to the client safely.
    static func error(_ message: String) -> String {
        page(title: "Sign-in cannot go on", body: "<h1>Sign-in cannot go on</h1><p class=\"error\">\(HTML.escape(message))</p><p>Go back to the app and try again.</p>")
    }

    static func page(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(title))</title>
        <style>
        :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
        body { max-width: 28rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.45; }
        label { display: block; margin: .8rem 0; } input { display: block; width: 100%; padding: .5rem; box-sizing: border-box; font: inherit; }
        .actions { display: flex; gap: .6rem; margin-top: 1rem; } button { flex: 1; padding: .6rem; font: inherit; cursor: pointer; }
        .error { color: #c62828; } code { overflow-wrap: anywhere; } .resource { font-size: .9rem; }
        </style></head><body>
        \(body)
        </body></html>
        """
    }
}
