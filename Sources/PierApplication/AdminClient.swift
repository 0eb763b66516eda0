import AsyncHTTPClient
import MCPCore
import NIOCore
import NIOHTTP1

/// The admin API from the command line (`pier servers …`): one request, its JSON answer, and the API's error
/// message (never a stack of internals) when it refuses.
struct AdminClient {
    let baseURL: String
    let key: String?

    /// Sends one request; returns the status and the parsed body (`null` for an empty one).
    func send(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil) async throws(StartupError) -> (status: Int, body: JSONValue) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let key { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body.serialized()))
        }
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
            let bytes = try await response.body.collect(upTo: 16 * 1024 * 1024)
            let data = Array(bytes.readableBytesView)
            let value = data.isEmpty ? JSONValue.null : (try? JSONValue(parsing: data)) ?? .string(String(decoding: data, as: UTF8.self))
            let status = Int(response.status.code)
            guard (200..<300).contains(status) else {
                let message = value["message"]?.stringValue ?? "HTTP \(status)"
                let field = value["field"]?.stringValue.map { " (\($0))" } ?? ""
                throw StartupError("\(message)\(field)", exitCode: status == 401 || status == 403 ? 77 : 1)
            }
            return (status, value)
        } catch let error as StartupError {
            throw error
        } catch {
            throw .unavailable("cannot reach Pier at \(baseURL): \(error)")
        }
    }
}
