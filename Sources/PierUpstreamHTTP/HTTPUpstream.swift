public import AsyncHTTPClient
import MCPClient
import MCPCore
import NIOCore
import NIOHTTP1

/// Where a remote upstream is and what every request to it carries.
public struct HTTPUpstream: Sendable {
    /// The MCP endpoint (Streamable HTTP) or the SSE stream (legacy HTTP+SSE).
    public var url: String
    /// Headers sent with every request: the upstream's own credentials, never the client's.
    public var headers: [(name: String, value: String)]
    /// The largest message (a JSON body, or one SSE event) Pier reads from the upstream.
    public var maximumMessageBytes: Int
    public var client: HTTPClient

    public init(url: String, headers: [(name: String, value: String)] = [], maximumMessageBytes: Int = 16 * 1024 * 1024, client: HTTPClient = .shared) {
        self.url = url
        self.headers = headers
        self.maximumMessageBytes = maximumMessageBytes
        self.client = client
    }

    /// A request to `url` with the configured headers.
    func request(_ method: HTTPMethod, url: String? = nil) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url ?? self.url)
        request.method = method
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        return request
    }

    /// POSTs `message` as JSON with `request`'s headers; a failure to reach the upstream becomes a transport error.
    func post(_ message: JSONRPCMessage, _ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        var request = request
        request.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        var body = JSONWriter()
        body.write(message)
        request.body = .bytes(ByteBuffer(bytes: body.bytes))
        do {
            return try await client.execute(request, deadline: .distantFuture, logger: nil)
        } catch {
            throw Self.failure(error, url: request.url)
        }
    }

    /// Reads a response body of at most `maximumMessageBytes`.
    func collect(_ response: HTTPClientResponse) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for try await buffer in response.body {
            guard bytes.count + buffer.readableBytes <= maximumMessageBytes else { throw ClientTransportError.tooLarge(maximumMessageBytes) }
            bytes.append(contentsOf: buffer.readableBytesView)
        }
        return bytes
    }

    /// Reads an event stream, handing each event's data on.
    func events(_ response: HTTPClientResponse, _ each: (SSEParser.Event) async throws -> Void) async throws {
        var parser = SSEParser(maximumEventBytes: maximumMessageBytes)
        for try await buffer in response.body {
            do {
                for event in try parser.feed(buffer.readableBytesView) { try await each(event) }
            } catch is SSEParser.Overflow {
                throw ClientTransportError.tooLarge(maximumMessageBytes)
            }
        }
    }

    /// The messages of a JSON body: one message, or a batch.
    static func messages(_ bytes: [UInt8]) -> [JSONRPCMessage] {
        guard let json = try? JSONValue(parsing: bytes) else { return [] }
        if case .array(let batch) = json { return batch.compactMap { try? JSONRPCMessage(json: $0) } }
        return (try? JSONRPCMessage(json: json)).map { [$0] } ?? []
    }

    /// Why a request failed, as a transport error (never with the upstream's body beyond a short excerpt).
    static func failure(_ error: any Error, url: String) -> ClientTransportError {
        if let known = error as? ClientTransportError { return known }
        if let http = error as? HTTPClientError {
            if http == .deadlineExceeded || http == .connectTimeout { return .unreachable("\(url) did not answer in time") }
            if http == .remoteConnectionClosed { return .closed("\(url) closed the connection") }
        }
        return .unreachable("\(url): \(error)")
    }
}
