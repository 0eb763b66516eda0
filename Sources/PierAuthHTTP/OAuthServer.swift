import HTTPTypes
public import Hummingbird
public import Logging
import MCPCore
import NIOCore
public import PierAuth
public import PierHTTP
public import PierStore
import ExtrasBase64
import PierSync

/// Pier's authorization server on HTTP: RFC 8414 metadata, RFC 9728 protected-resource metadata for each MCP
/// endpoint, `/auth/authorize` (sign-in and consent, `iss` on every answer), `/auth/token`, `/auth/register`
/// (RFC 7591) and `/auth/revoke` (RFC 7009).
public final class OAuthServer: Sendable {
    public let service: AuthorizationService
    let store: any StoreBackend
    /// The MCP endpoints whose tokens this server issues.
    public let resources: ProtectedResource
    let secureCookies: Bool
    let logins: Locked<FailureLimiter>
    let logger: Logger

    public init(service: AuthorizationService, store: any StoreBackend, endpoints: [ProtectedResource.Endpoint], logger: Logger) {
        self.service = service
        self.store = store
        self.resources = ProtectedResource(baseURL: service.settings.issuer, authorizationServers: [service.settings.issuer], endpoints: endpoints)
        self.secureCookies = service.settings.issuer.lowercased().hasPrefix("https://")
        self.logins = Locked(FailureLimiter(limit: 10, window: .seconds(60)))
        self.logger = logger
    }

    var issuer: String { service.settings.issuer }

    public func addRoutes<Context: ConnectionAwareRequestContext>(to router: Router<Context>) {
        router.get("/.well-known/oauth-authorization-server") { _, _ in self.json(self.metadata()) }
        router.get("/.well-known/openid-configuration") { _, _ in self.json(self.metadata()) }
        router.get("/auth/jwks.json") { _, _ in await self.jwks() }
        router.get("/auth/userinfo") { request, _ in await self.userinfo(request) }
        router.post("/auth/userinfo") { request, _ in await self.userinfo(request) }
        resources.addRoutes(to: router)
        router.get("/auth/authorize") { request, _ in await self.authorize(FormFields(request.uri.query ?? ""), request: request, posted: false, address: nil) }
        router.post("/auth/authorize") { request, context in
            let body = await Self.body(request)
            return await self.authorize(FormFields(body ?? ""), request: request, posted: true, address: context.channel?.remoteAddress?.ipAddress ?? "unknown")
        }
        router.post("/auth/token") { request, _ in await self.token(request) }
        router.post("/auth/register") { request, _ in await self.register(request) }
        router.post("/auth/revoke") { request, _ in await self.revoke(request) }
    }

    // MARK: metadata

    func metadata() -> JSONValue {
        var metadata: JSONObject = [
            "issuer": .string(issuer),
            "authorization_endpoint": .string(issuer + "/auth/authorize"),
            "token_endpoint": .string(issuer + "/auth/token"),
            "registration_endpoint": .string(issuer + "/auth/register"),
            "revocation_endpoint": .string(issuer + "/auth/revoke"),
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": .array(authMethods.map(JSONValue.string)),
            "revocation_endpoint_auth_methods_supported": .array(authMethods.map(JSONValue.string)),
            "scopes_supported": .array(service.settings.offeredScopes.map(JSONValue.string)),
            "authorization_response_iss_parameter_supported": true,
            // OpenID Connect.
            "jwks_uri": .string(issuer + "/auth/jwks.json"),
            "userinfo_endpoint": .string(issuer + "/auth/userinfo"),
            "id_token_signing_alg_values_supported": ["ES256"],
            "subject_types_supported": ["public"],
            "claims_supported": ["iss", "sub", "aud", "exp", "iat", "nonce", "email", "email_verified", "preferred_username"],
            "client_id_metadata_document_supported": .bool(service.metadataClients != nil),
        ]
        if service.metadataClients != nil {
            metadata["token_endpoint_auth_signing_alg_values_supported"] = .array(ClientAssertion.algorithms.sorted().map(JSONValue.string))
        }
        return .object(metadata)
    }

    /// The token endpoint's client authentication methods: registered clients' and, with metadata-document
    /// clients, `private_key_jwt`.
    var authMethods: [String] {
        ClientRegistration.authMethods + (service.metadataClients == nil ? [] : ["private_key_jwt"])
    }

    // MARK: authorize

    func authorize(_ fields: FormFields, request: Request, posted: Bool, address: String?) async -> Response {
        let params = fields.values
        if let name = fields.repeated.first { return page(AuthorizePage.error("The request repeats the parameter \(name)."), status: .badRequest) }
        let known: (client: OAuthClientRecord, redirectURI: String)
        do {
            known = try await service.client(params)
        } catch {
            // Not redirected: the redirect URI is not one this client registered (or there is no client).
            return page(AuthorizePage.error(error.description), status: .badRequest)
        }
        let checked: AuthorizationService.Request
        do {
            checked = try service.request(params, client: known.client, redirectURI: known.redirectURI)
        } catch {
            return redirect(known.redirectURI, error: error, state: params["state"])
        }
        guard posted else { return consentPage(checked, params: params, message: nil, status: .ok) }
        guard let cookie = Self.cookie("pier_csrf", in: request), let token = params["csrf_token"], ConstantTime.equal(cookie, token) else {
            return page(AuthorizePage.error("The form expired or did not come from this page. Start the sign-in again."), status: .forbidden)
        }
        guard params["decision"] == "allow" else {
            await service.audit("oauth.authorize", subject: nil, client: known.client.id, status: "denied", detail: "the user denied access")
            return redirect(checked.redirectURI, error: .accessDenied("the user denied access"), state: checked.state)
        }
        let address = address ?? "unknown"
        if let wait = logins.withLock({ $0.blocked(address, at: .now) }) {
            var response = consentPage(checked, params: params, message: "Too many failed sign-ins. Try again in \(Int(wait.components.seconds) + 1) s.", status: .tooManyRequests)
            response.headers[.retryAfter] = "\(Int(wait.components.seconds) + 1)"
            return response
        }
        let name = params["username"] ?? ""
        guard await verify(name: name, password: params["password"] ?? "") else {
            logins.withLock { $0.failed(address, at: .now) }
            await service.audit("oauth.login", subject: name.isEmpty ? nil : String(name.prefix(64)), client: known.client.id, status: "refused", detail: "wrong name or password")
            return consentPage(checked, params: params, message: "The name or password is wrong.", status: .unauthorized)
        }
        do {
            let code = try await service.issueCode(checked, subject: name)
            var fields: [(String, String)] = [("code", code)]
            if let state = checked.state { fields.append(("state", state)) }
            fields.append(("iss", issuer))
            return Self.found(FormFields.url(checked.redirectURI, adding: fields))
        } catch {
            return redirect(checked.redirectURI, error: error, state: checked.state)
        }
    }

    /// The redirect carrying an authorization error, with `iss` (RFC 9207) as on every authorization response.
    func redirect(_ uri: String, error: OAuthError, state: String?) -> Response {
        var fields: [(String, String)] = [("error", error.code), ("error_description", error.description)]
        if let state { fields.append(("state", state)) }
        fields.append(("iss", issuer))
        return Self.found(FormFields.url(uri, adding: fields))
    }

    /// `scheme://host[:port]` of a redirect URI (already checked: https, or http to loopback).
    static func origin(of uri: String) -> String? {
        guard let schemeEnd = uri.firstRange(of: "://") else { return nil }
        let rest = uri[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.isEmpty, !authority.contains(where: { $0 == ";" || $0 == " " || $0 == "'" || $0 == "," }) else { return nil }
        return uri[..<schemeEnd.upperBound].lowercased() + authority
    }

    static func found(_ location: String) -> Response {
        Response(status: .found, headers: [.location: location, .cacheControl: "no-store", .referrerPolicy: "no-referrer"])
    }

    func consentPage(_ checked: AuthorizationService.Request, params: [String: String], message: String?, status: HTTPResponse.Status) -> Response {
        let csrf = Base64URL.random(bytes: 24)
        // Browsers apply form-action to the redirect that answers the form too: allow the client's origin.
        var response = page(
            AuthorizePage.render(request: checked, fields: params, csrf: csrf, message: message), status: status,
            formTarget: Self.origin(of: checked.redirectURI))
        response.headers[.setCookie] = "pier_csrf=\(csrf); Path=/auth; HttpOnly; SameSite=Strict" + (secureCookies ? "; Secure" : "")
        return response
    }

    func page(_ html: String, status: HTTPResponse.Status, formTarget: String? = nil) -> Response {
        let formAction = "'self'" + (formTarget.map { " " + $0 } ?? "")
        let headers: HTTPFields = [
            // same-origin, not no-referrer: with no-referrer, browsers send `Origin: null` on the form's POST.
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .xFrameOptions: "DENY", .referrerPolicy: "same-origin",
            .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; form-action \(formAction); frame-ancestors 'none'; base-uri 'none'",
        ]
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// Checks a user's password (``Passwords/verify(name:password:in:)``).
    func verify(name: String, password: String) async -> Bool {
        await Passwords.verify(name: name, password: password, in: store)
    }

    // MARK: token, register, revoke

    func token(_ request: Request) async -> Response {
        guard let body = await Self.body(request) else { return oauthError(.invalidRequest("the body must be a form of at most 64 KiB")) }
        let fields = FormFields(body)
        if let name = fields.repeated.first { return oauthError(.invalidRequest("the request repeats the parameter \(name)")) }
        do {
            return json(.object(try await service.token(fields.values, basic: Self.basic(request))))
        } catch {
            return oauthError(error, basic: request.headers[.authorization] != nil)
        }
    }

    func register(_ request: Request) async -> Response {
        guard let body = await Self.body(request), case .object(let metadata)? = try? JSONValue(parsing: body) else {
            return oauthError(.invalidClientMetadata("the body must be a JSON object of client metadata"))
        }
        do {
            let registered = try ClientRegistration.register(metadata)
            try await service.storeCall { try await self.store.createClient(registered.client) }
            await service.audit("oauth.register", subject: nil, client: registered.client.id, status: "ok", detail: registered.client.name)
            return json(.object(registered.response), status: .created)
        } catch {
            return oauthError(error)
        }
    }

    func revoke(_ request: Request) async -> Response {
        guard let body = await Self.body(request) else { return oauthError(.invalidRequest("the body must be a form of at most 64 KiB")) }
        do {
            try await service.revoke(FormFields(body).values, basic: Self.basic(request))
            return Response(status: .ok, headers: [.cacheControl: "no-store"])
        } catch {
            return oauthError(error, basic: request.headers[.authorization] != nil)
        }
    }

    // MARK: OpenID Connect

    func jwks() async -> Response {
        do {
            var response = json(try await service.signingKeys.jwks())
            response.headers[.cacheControl] = "public, max-age=300"
            return response
        } catch {
            return oauthError(.temporarilyUnavailable("the signing keys cannot be read now"))
        }
    }

    func userinfo(_ request: Request) async -> Response {
        guard let token = BearerToken.from(request.headers[.authorization]) else {
            return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer", .cacheControl: "no-store"])
        }
        do {
            return json(.object(try await service.userinfo(token)))
        } catch {
            var response = oauthError(error)
            if error.status == 401 || error.status == 403 {
                response.headers[.wwwAuthenticate] = "Bearer error=\"\(error.code)\", error_description=\"\(error.description)\""
            }
            return response
        }
    }

    // MARK: helpers

    static func body(_ request: Request) async -> String? {
        var request = request
        guard let buffer = try? await request.collectBody(upTo: 64 * 1024) else { return nil }
        return String(validating: Array(buffer.readableBytesView), as: UTF8.self)
    }

    /// The client id and secret of an `Authorization: Basic` header (RFC 6749 §2.3.1: each form-encoded).
    static func basic(_ request: Request) -> (id: String, secret: String)? {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("basic "),
            let decoded = try? Base64.decode(string: String(header.dropFirst(6)).trimmingSpaces()), let text = String(validating: decoded, as: UTF8.self),
            let colon = text.firstIndex(of: ":"),
            let id = FormFields.decode(text[..<colon]), let secret = FormFields.decode(text[text.index(after: colon)...])
        else { return nil }
        return (id, secret)
    }

    static func cookie(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.trimmingSpaces()
                if pair.hasPrefix(name + "=") { return String(pair.dropFirst(name.count + 1)) }
            }
        }
        return nil
    }

    func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.serialized())))
    }

    func oauthError(_ error: OAuthError, basic: Bool = false) -> Response {
        var response = json(["error": .string(error.code), "error_description": .string(error.description)], status: HTTPResponse.Status(code: error.status))
        if error.code == "invalid_client", basic { response.headers[.wwwAuthenticate] = "Basic realm=\"pier\"" }
        return response
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return String(s)
    }
}
