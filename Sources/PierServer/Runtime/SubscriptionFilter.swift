public import MCPCore

/// What a 2026-07-28 client asked to hear about on `subscriptions/listen`.
public struct SubscriptionFilter: Sendable, Equatable {
    public var toolsListChanged = false
    public var promptsListChanged = false
    public var resourcesListChanged = false
    public var resourceSubscriptions: Set<String> = []

    /// Reads `params.notifications`. - Throws: -32602 when it is missing or malformed.
    public init(params: JSONObject) throws(MCPError) {
        guard case .object(let n)? = params["notifications"] else {
            throw MCPError.invalidParams("subscriptions/listen needs a \"notifications\" object")
        }
        for (key, keyPath) in [("toolsListChanged", \SubscriptionFilter.toolsListChanged), ("promptsListChanged", \.promptsListChanged),
            ("resourcesListChanged", \.resourcesListChanged)] as [(String, WritableKeyPath<SubscriptionFilter, Bool>)]
        {
            switch n[key] {
            case nil, .null?: continue
            case .bool(let b)?: self[keyPath: keyPath] = b
            default: throw MCPError.invalidParams("notifications.\(key) must be a boolean")
            }
        }
        switch n["resourceSubscriptions"] {
        case nil, .null?: break
        case .array(let items)?:
            for item in items {
                guard case .string(let uri) = item else { throw MCPError.invalidParams("notifications.resourceSubscriptions must be a list of URIs") }
                resourceSubscriptions.insert(uri)
            }
        default: throw MCPError.invalidParams("notifications.resourceSubscriptions must be a list of URIs")
        }
    }

    /// The subset the server honors (all of it), for `notifications/subscriptions/acknowledged`.
    public var honored: JSONObject {
        var o = JSONObject()
        if toolsListChanged { o["toolsListChanged"] = true }
        if promptsListChanged { o["promptsListChanged"] = true }
        if resourcesListChanged { o["resourcesListChanged"] = true }
        if !resourceSubscriptions.isEmpty { o["resourceSubscriptions"] = .array(resourceSubscriptions.sorted().map { .string($0) }) }
        return o
    }

    /// `true` when `event` was asked for.
    public func matches(_ event: ServerEvent) -> Bool {
        switch event {
        case .toolsChanged: toolsListChanged
        case .promptsChanged: promptsListChanged
        case .resourcesChanged: resourcesListChanged
        case .resourceUpdated(let uri): resourceSubscriptions.contains(uri)
        }
    }

    /// `event`'s notification stamped with the subscription id.
    public static func notification(_ event: ServerEvent, subscription id: JSONRPCID) -> JSONRPCNotification {
        var n = event.notification
        n.params["_meta"] = [MetaKey.subscriptionID: id.json]
        return n
    }
}

extension MCPServer {
    /// The acknowledgment that opens a listen stream.
    public func listenAcknowledgment(_ filter: SubscriptionFilter, subscription id: JSONRPCID) -> JSONRPCNotification {
        JSONRPCNotification(
            method: "notifications/subscriptions/acknowledged",
            params: ["notifications": .object(filter.honored), "_meta": [MetaKey.subscriptionID: id.json]])
    }

    /// The result that closes a listen stream gracefully (server shutdown).
    public func listenResult(subscription id: JSONRPCID) -> JSONObject {
        var result: JSONObject = ["_meta": [MetaKey.subscriptionID: id.json]]
        decorateModern(&result, cache: .none, view: .everything)
        return result
    }
}
