import HTTPTypes
import Hummingbird
import MCPCore
import NIOCore

/// The admin API's responses: JSON bodies, written once.
enum AdminReply {
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        var writer = JSONWriter(capacity: 1024)
        writer.write(value)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: writer.bytes)))
    }

    /// `{"error": code, "message": …, "field"?: …}` with the error's status (and `Retry-After` when rate limited).
    static func error(_ error: AdminError) -> Response {
        var body: JSONObject = ["error": .string(error.code), "message": .string(error.message)]
        if let field = error.field { body["field"] = .string(field) }
        var response = json(.object(body), status: error.status)
        if let seconds = error.retryAfter { response.headers[.retryAfter] = "\(seconds)" }
        if let allow = error.allow { response.headers[.allow] = allow }
        if error.status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer realm=\"pier-admin\"" }
        return response
    }
}
