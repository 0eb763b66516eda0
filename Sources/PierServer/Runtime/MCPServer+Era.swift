public import MCPCore

extension MCPServer {
    /// The `InitializeResult` for a legacy client at `version`.
    /// The `InitializeResult` for a legacy client at `version`, through `view` (whose own server info and
    /// instructions, when it has them, replace the server's).
    public func initializeResult(version: ProtocolVersion, view: CatalogView = .everything) -> JSONObject {
        var o: JSONObject = [
            "protocolVersion": .string(version.rawValue),
            "capabilities": .object(capabilities),
            "serverInfo": (view.info ?? info).json,
        ]
        if let instructions = view.instructions ?? instructions { o["instructions"] = .string(instructions) }
        return o
    }

    /// The `server/discover` result (before the modern decorations).
    func discoverResult(view: CatalogView) -> JSONObject {
        var o: JSONObject = [
            "supportedVersions": .array(ProtocolVersion.allSupported.reversed().map { .string($0.rawValue) }),
            "capabilities": .object(capabilities),
        ]
        if let instructions = view.instructions ?? instructions { o["instructions"] = .string(instructions) }
        return o
    }

    /// Reads the per-request metadata a 2026-07-28 request must carry.
    ///
    /// - Throws: -32602 when `_meta` lacks the protocol version or the client capabilities (or they have the
    ///   wrong type), -32022 when the version is not one Pier speaks in the modern era.
    public static func modernClientContext(for request: JSONRPCRequest) throws(MCPError) -> ClientContext {
        let meta = request.meta
        guard let rawVersion = meta[MetaKey.protocolVersion] else {
            throw MCPError.invalidParams("Missing _meta[\"\(MetaKey.protocolVersion)\"]")
        }
        guard case .string(let versionText) = rawVersion else {
            throw MCPError.invalidParams("_meta[\"\(MetaKey.protocolVersion)\"] must be a string")
        }
        guard let version = ProtocolVersion(rawValue: versionText), version.isModern else {
            throw MCPError.unsupportedVersion(requested: versionText)
        }
        guard let rawCapabilities = meta[MetaKey.clientCapabilities] else {
            throw MCPError.invalidParams("Missing _meta[\"\(MetaKey.clientCapabilities)\"]")
        }
        guard case .object(let capabilities) = rawCapabilities else {
            throw MCPError.invalidParams("_meta[\"\(MetaKey.clientCapabilities)\"] must be an object")
        }
        var logLevel: LogLevel?
        if let rawLevel = meta[MetaKey.logLevel] {
            guard let text = rawLevel.stringValue, let level = LogLevel(rawValue: text) else {
                throw MCPError.invalidParams("_meta[\"\(MetaKey.logLevel)\"] must be one of \(LogLevel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            logLevel = level
        }
        return ClientContext(version: version, capabilities: capabilities, info: meta[MetaKey.clientInfo]?.objectValue, logLevel: logLevel)
    }
}
