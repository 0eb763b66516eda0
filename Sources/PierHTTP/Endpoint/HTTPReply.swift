import Hummingbird
import HTTPTypes
import MCPCore
import NIOCore

/// Builders for the responses the endpoint sends.
enum HTTPReply {
    static let jsonContentType = "application/json"

    /// A JSON body.
    static func json(status: HTTPResponse.Status = .ok, _ value: JSONValue, headers: HTTPFields = [:]) -> Response {
        body(status: status, headers: headers) { $0.write(value) }
    }

    /// One JSON-RPC message as the body.
    static func message(status: HTTPResponse.Status = .ok, _ message: JSONRPCMessage, headers: HTTPFields = [:]) -> Response {
        body(status: status, headers: headers) { $0.write(message) }
    }

    private static func body(status: HTTPResponse.Status, headers: HTTPFields, _ write: (inout JSONWriter) -> Void) -> Response {
        var writer = JSONWriter(capacity: 512)
        write(&writer)
        var fields = headers
        fields[.contentType] = jsonContentType
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: writer.bytes)))
    }

    /// A JSON-RPC error as the body of an HTTP error.
    static func jsonRPCError(status: HTTPResponse.Status, error: MCPError, id: JSONRPCID? = nil, headers: HTTPFields = [:]) -> Response {
        message(status: status, .response(JSONRPCResponse(id: id ?? error.requestID, error: error)), headers: headers)
    }

    /// `202 Accepted` with no body.
    static func accepted(headers: HTTPFields = [:]) -> Response { Response(status: .accepted, headers: headers) }

    /// The HTTP status a modern (2026-07-28) error travels with.
    static func modernStatus(for error: MCPError) -> HTTPResponse.Status {
        switch error.code {
        case ErrorCode.methodNotFound: .notFound
        case ErrorCode.parseError, ErrorCode.invalidRequest, ErrorCode.invalidParams, ErrorCode.headerMismatch,
            ErrorCode.missingRequiredClientCapability, ErrorCode.unsupportedProtocolVersion:
            .badRequest
        default: .ok
        }
    }
}

extension HTTPField.Name {
    static let mcpSessionID = HTTPField.Name("Mcp-Session-Id")!
    static let mcpProtocolVersion = HTTPField.Name("MCP-Protocol-Version")!
    static let mcpMethod = HTTPField.Name("Mcp-Method")!
    static let mcpName = HTTPField.Name("Mcp-Name")!
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
    static let xAccelBuffering = HTTPField.Name("X-Accel-Buffering")!
}
