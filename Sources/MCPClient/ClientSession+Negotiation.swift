public import MCPCore
import PierSync

extension ClientSession {
    // MARK: Negotiation

    /// Negotiates the era: `server/discover` first (2026-07-28), then `initialize` (2025-11-25 down to
    /// 2024-11-05) with `notifications/initialized`.
    @discardableResult
    public func negotiate() async throws(ClientError) -> Negotiated {
        let negotiated: Negotiated
        if configuration.preferModern, let modern = await discover() {
            negotiated = modern
        } else {
            negotiated = try await initialize()
        }
        state.withLock { s in
            s.negotiated = negotiated
            s.generation += 1
        }
        await transport.sessionEstablished(protocolVersion: negotiated.version.rawValue)
        return negotiated
    }

    /// `params` with what a 2026-07-28 request says about its client in `_meta`: the version, the capabilities
    /// (`capabilities`, else Pier's own) and `clientInfo`; other `_meta` keys stay.
    func stampModern(_ params: JSONObject, version: ProtocolVersion, capabilities: JSONObject?) -> JSONObject {
        var params = params
        var meta = params["_meta"]?.objectValue ?? [:]
        meta[MetaKey.protocolVersion] = .string(version.rawValue)
        meta[MetaKey.clientCapabilities] = .object(capabilities ?? configuration.capabilities)
        meta[MetaKey.clientInfo] = .object(configuration.clientInfo)
        params["_meta"] = .object(meta)
        return params
    }

    /// `server/discover`; `nil` when the upstream does not speak 2026-07-28 (any error counts as that).
    func discover() async -> Negotiated? {
        do {
            let result = try await send(
                Method.discover, params: stampModern([:], version: .v2026_07_28, capabilities: nil), protocolVersion: ProtocolVersion.v2026_07_28.rawValue,
                name: nil,
                timeout: configuration.negotiationTimeout, observer: nil)
            return Negotiated.fromDiscover(result)
        } catch {
            return nil
        }
    }

    func initialize() async throws(ClientError) -> Negotiated {
        await transport.resetSession()
        let params: JSONObject = [
            "protocolVersion": .string(ProtocolVersion.latestLegacy.rawValue),
            "capabilities": .object(configuration.capabilities.removingValue(forKey: "extensions")),
            "clientInfo": .object(configuration.clientInfo),
        ]
        let result: JSONObject
        do {
            result = try await send(Method.initialize, params: params, protocolVersion: nil, name: nil, timeout: configuration.negotiationTimeout, observer: nil)
        } catch let error as ClientError {
            throw error
        } catch {
            throw .closed
        }
        let negotiated = try Negotiated.fromInitialize(result)
        do {
            try await transport.send(
                Outbound(.notification(JSONRPCNotification(method: Method.initialized)), protocolVersion: negotiated.version.rawValue), replies: { _ in })
        } catch let error as ClientTransportError {
            throw .transport(error)
        } catch {
            throw .closed
        }
        return negotiated
    }
}
