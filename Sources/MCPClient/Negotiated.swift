public import MCPCore

/// What negotiation with an upstream settled: its protocol era and what it declared about itself.
public struct Negotiated: Sendable, Equatable {
    public let version: ProtocolVersion
    public let serverInfo: JSONObject
    public let capabilities: JSONObject
    public let instructions: String?

    public init(version: ProtocolVersion, serverInfo: JSONObject, capabilities: JSONObject, instructions: String?) {
        self.version = version
        self.serverInfo = serverInfo
        self.capabilities = capabilities
        self.instructions = instructions
    }

    /// `true` for a 2026-07-28 upstream: stateless, with version and capabilities on every request.
    public var isModern: Bool { version.isModern }

    /// `true` when the upstream serves `kind` at all.
    public func offers(_ kind: String) -> Bool { capabilities[kind] != nil }

    /// Reads a `server/discover` result; `nil` when it does not offer 2026-07-28.
    static func fromDiscover(_ result: JSONObject) -> Negotiated? {
        let versions = result["supportedVersions"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard versions.contains(ProtocolVersion.v2026_07_28.rawValue) else { return nil }
        let info = result["_meta"]?[MetaKey.serverInfo]?.objectValue ?? result["serverInfo"]?.objectValue ?? [:]
        return Negotiated(
            version: .v2026_07_28, serverInfo: info, capabilities: result["capabilities"]?.objectValue ?? [:],
            instructions: result["instructions"]?.stringValue)
    }

    /// Reads an `initialize` result.
    static func fromInitialize(_ result: JSONObject) throws(ClientError) -> Negotiated {
        guard let text = result["protocolVersion"]?.stringValue else { throw .malformed("initialize result without protocolVersion") }
        guard let version = ProtocolVersion(rawValue: text), !version.isModern else { throw .unsupportedVersion(text) }
        return Negotiated(
            version: version, serverInfo: result["serverInfo"]?.objectValue ?? [:], capabilities: result["capabilities"]?.objectValue ?? [:],
            instructions: result["instructions"]?.stringValue)
    }
}
