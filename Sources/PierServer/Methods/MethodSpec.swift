public import MCPCore

/// Everything Pier knows about one request method, in one place: which eras have it, whether its handler may ask
/// the client for input, which param `Mcp-Name` mirrors, how its result may be cached, and what it changes about a
/// handshake-era session. Dispatch, support checks, header checks, result decoration and session changes all read
/// the same ``MethodSpec``; adding a method means adding one entry to the table.
public struct MethodSpec: Sendable {
    /// The protocol eras a method belongs to.
    public enum Eras: Sendable, Equatable {
        /// Revisions up to 2025-11-25 (`initialize` first).
        case handshake
        /// 2026-07-28 and later (stateless).
        case modern
        case both
    }

    /// How a 2026-07-28 result may be cached (`ttlMs`, `cacheScope`).
    public enum CacheClass: Sendable, Equatable {
        case none
        /// The list methods and `server/discover`.
        case list
        /// `resources/read`.
        case read
    }

    /// What a successful request changes about the handshake-era session it came in.
    public enum SessionEffect: Sendable, Equatable {
        case none
        /// `logging/setLevel`: the session's log level.
        case logLevel
        /// `resources/subscribe`.
        case subscribe
        /// `resources/unsubscribe`.
        case unsubscribe
    }

    /// Where a request is answered.
    enum Handling: Sendable {
        /// By the runtime's dispatcher.
        case runtime(@Sendable (MCPServer, JSONRPCRequest, MCPRequestContext) async throws -> JSONObject)
        /// By the transport, as a stream (`subscriptions/listen`).
        case stream
    }

    public let name: String
    public let eras: Eras
    /// The handler may ask the client for input (2026-07-28 `input_required`, or a server→client request).
    public let interactive: Bool
    /// The param that the `Mcp-Name` header mirrors, if any.
    public let nameParameter: String?
    /// `Mcp-Name` must be sent (otherwise it is checked only when sent).
    public let nameRequired: Bool
    public let cache: CacheClass
    public let sessionEffect: SessionEffect
    let handling: Handling

    /// Whether a request of the given era may use this method.
    public func serves(modern: Bool) -> Bool {
        switch eras {
        case .both: true
        case .modern: modern
        case .handshake: !modern
        }
    }

    /// `true` for `subscriptions/listen`, which the transport serves as a stream.
    public var isStream: Bool {
        if case .stream = handling { return true }
        return false
    }

    /// The body value `Mcp-Name` must mirror, for methods that have one.
    public func nameValue(in request: JSONRPCRequest) -> String? {
        nameParameter.flatMap { request.params[$0]?.stringValue }
    }

    /// The method `name`, if Pier knows it.
    public static func named(_ name: String) -> MethodSpec? { MethodTable.byName[name] }

    /// Every method Pier answers.
    public static var all: [MethodSpec] { MethodTable.all }
}
