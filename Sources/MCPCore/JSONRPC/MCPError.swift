/// A JSON-RPC error as it goes on the wire: a code, a message safe to show the client, and optional data.
///
/// Build them with the static constructors. Internal failures become ``internalError()``, whose message is
/// generic on purpose: clients never see internal error text.
public struct MCPError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: Int
    public var message: String
    public var data: JSONValue?
    /// The id of the request this error answers, when it was known at the point of failure.
    public var requestID: JSONRPCID?

    public init(code: Int, message: String, data: JSONValue? = nil, requestID: JSONRPCID? = nil) {
        self.code = code
        self.message = message
        self.data = data
        self.requestID = requestID
    }

    /// Reads an error object from the wire, keeping `data` whole.
    public init(json: JSONObject) {
        self.code = json["code"]?.intValue ?? ErrorCode.internalError
        self.message = json["message"]?.stringValue ?? ""
        self.data = json["data"]
    }

    /// The error object for the wire.
    public var json: JSONObject {
        var o: JSONObject = ["code": .int(code), "message": .string(message)]
        if let data { o["data"] = data }
        return o
    }

    public var description: String { "MCP error \(code): \(message)" }
}

/// JSON-RPC and MCP error codes.
public enum ErrorCode {
    public static let parseError = -32700
    public static let invalidRequest = -32600
    public static let methodNotFound = -32601
    public static let invalidParams = -32602
    public static let internalError = -32603
    /// Legacy (≤ 2025-11-25) resource-not-found.
    public static let resourceNotFound = -32002
    /// 2026-07-28: an HTTP header disagrees with the body, or a required one is missing.
    public static let headerMismatch = -32020
    /// 2026-07-28: the request needs a client capability the client did not declare.
    public static let missingRequiredClientCapability = -32021
    /// 2026-07-28: the protocol version is not supported; `data.supported` lists what is.
    public static let unsupportedProtocolVersion = -32022
    /// 2025-11-25: URL-mode elicitation required.
    public static let urlElicitationRequired = -32042
}

extension MCPError {
    public static func parseError(_ message: String = "Parse error") -> MCPError {
        MCPError(code: ErrorCode.parseError, message: message)
    }
    public static func invalidRequest(_ message: String, id: JSONRPCID? = nil) -> MCPError {
        MCPError(code: ErrorCode.invalidRequest, message: message, requestID: id)
    }
    public static func methodNotFound(_ method: String) -> MCPError {
        MCPError(code: ErrorCode.methodNotFound, message: "Method not found: \(method)")
    }
    public static func invalidParams(_ message: String, data: JSONValue? = nil) -> MCPError {
        MCPError(code: ErrorCode.invalidParams, message: message, data: data)
    }
    /// The only error clients see for failures inside Pier.
    public static func internalError() -> MCPError {
        MCPError(code: ErrorCode.internalError, message: "Internal error")
    }
    public static func headerMismatch(_ message: String) -> MCPError {
        MCPError(code: ErrorCode.headerMismatch, message: message)
    }
    /// -32021 for capabilities named at the top level of `ClientCapabilities` (`sampling`, `elicitation`, …);
    /// `data.requiredCapabilities` is a `ClientCapabilities` object the client can merge into its own.
    public static func missingClientCapability(_ capabilities: [String]) -> MCPError {
        var required = JSONObject()
        for name in capabilities { required[name] = .object([:]) }
        return missingClientCapability(required, named: capabilities)
    }

    /// -32021 for a protocol extension the client did not declare (`capabilities.extensions[id]`).
    public static func missingClientExtension(_ id: String) -> MCPError {
        missingClientCapability(["extensions": .object([id: .object([:])])], named: ["extension \(id)"])
    }

    static func missingClientCapability(_ required: JSONObject, named: [String]) -> MCPError {
        MCPError(
            code: ErrorCode.missingRequiredClientCapability,
            message: "Missing required client capability: \(named.joined(separator: ", "))",
            data: ["requiredCapabilities": .object(required)]
        )
    }
    public static func unsupportedVersion(requested: String?) -> MCPError {
        var data: JSONObject = ["supported": .array(ProtocolVersion.allSupported.map { .string($0.rawValue) })]
        if let requested { data["requested"] = .string(requested) }
        return MCPError(
            code: ErrorCode.unsupportedProtocolVersion,
            message: "Unsupported protocol version\(requested.map { ": \($0)" } ?? "")",
            data: .object(data)
        )
    }
}
