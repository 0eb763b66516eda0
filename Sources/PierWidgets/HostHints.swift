public import MCPCore
public import PierServer

/// What the host (ChatGPT, or a playground acting like it) says about the user and the conversation in a
/// request's `_meta`. Hints only: a client can send anything here, so never use them to authorize.
public struct HostHints: Sendable, Equatable {
    /// The user's locale, BCP 47 (`openai/locale`, or the older `webplus/i18n`).
    public var locale: String?
    public var userAgent: String?
    public var userLocation: UserLocation?
    /// An anonymized user id, for rate limits and state keys (`openai/subject`). When the endpoint authenticated
    /// the caller (OAuth), it is the token's subject instead, and ``subjectIsVerified`` is `true`.
    public var subject: String?
    /// `subject` comes from a token the endpoint checked, not from what the client wrote in `_meta`.
    public var subjectIsVerified = false
    /// An anonymized conversation id (`openai/session`).
    public var session: String?
    /// The id of the mounted widget instance the call comes from or will render into (`openai/widgetSessionId`).
    public var widgetSessionID: String?

    /// Where the user roughly is, as the host reports it.
    public struct UserLocation: Sendable, Equatable {
        public var city: String?
        public var region: String?
        public var country: String?
        public var timezone: String?
        public var latitude: Double?
        public var longitude: Double?
    }

    /// Reads the hints from a request's `_meta`; absent or mistyped keys are `nil`.
    public init(meta: JSONObject) {
        locale = meta["openai/locale"]?.stringValue ?? meta["webplus/i18n"]?.stringValue
        userAgent = meta["openai/userAgent"]?.stringValue
        subject = meta["openai/subject"]?.stringValue
        session = meta["openai/session"]?.stringValue
        widgetSessionID = meta["openai/widgetSessionId"]?.stringValue
        if case .object(let l)? = meta["openai/userLocation"] {
            userLocation = UserLocation(
                city: l["city"]?.stringValue, region: l["region"]?.stringValue, country: l["country"]?.stringValue,
                timezone: l["timezone"]?.stringValue, latitude: l["latitude"]?.doubleValue, longitude: l["longitude"]?.doubleValue)
        }
    }
}

extension MCPRequestContext {
    /// The host's hints about the user and conversation (never for authorization), with the authenticated
    /// caller's subject in place of the client's `openai/subject` when there is one.
    public var host: HostHints {
        var hints = HostHints(meta: meta)
        if let principal = client.principal {
            hints.subject = principal.subject
            hints.subjectIsVerified = true
        }
        return hints
    }
}
