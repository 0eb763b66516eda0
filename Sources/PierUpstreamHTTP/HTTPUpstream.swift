import Tracing
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

    /// The POST to ``url`` with the headers every message carries, its URL parsed once.
    let postTemplate: HTTPClient.Request?

    public init(url: String, headers: [(name: String, value: String)] = [], maximumMessageBytes: Int = 16 * 1024 * 1024, client: HTTPClient) {
        self.url = url
        self.headers = headers
        self.maximumMessageBytes = maximumMessageBytes
        self.client = client
        var fixed = HTTPHeaders()
        fixed.add(name: "Content-Type", value: "application/json")
        fixed.add(name: "Accept", value: "application/json, text/event-stream")
        for header in headers { fixed.add(name: header.name, value: header.value) }
        self.postTemplate = try? HTTPClient.Request(url: url, method: .POST, headers: fixed)
    }

    /// A request to `url` with the configured headers.
    func request(_ method: HTTPMethod, url: String? = nil) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url ?? self.url)
        request.method = method
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        return request
    }

    /// The headers of every POST: JSON in, JSON or an event stream back, and the upstream's own headers.
    var postHeaders: HTTPHeaders { postTemplate?.headers ?? HTTPHeaders() }

    /// POSTs `outbound`'s message to `url` (the endpoint by default) with `headers` (``postHeaders`` and more),
    /// and yields what comes back (see ``ExchangeEvent``). The body is read on the connection's event loop; the
    /// deadline and cancelling the iterating task both end the request. Errors arrive as ``ClientTransportError``.
    func exchange(_ outbound: Outbound, headers: HTTPHeaders, url: String? = nil) throws -> ExchangeEvents {
        var body = JSONWriter()
        body.write(outbound.message)
        var request: HTTPClient.Request
        do {
            if let url {
                request = try HTTPClient.Request(url: url, method: .POST)
            } else if let template = postTemplate {
                request = template
            } else {
                throw HTTPClientError.invalidURL
            }
        } catch {
            throw ClientTransportError.unreachable("\(url ?? self.url) is not a URL Pier can reach")
        }
        request.headers = headers
        // W3C trace context, for an upstream that traces too (nothing is added without a tracer).
        if let context = ServiceContext.current { InstrumentationSystem.instrument.inject(context, into: &request.headers, using: TraceHeaders()) }
        request.body = .bytes(body.bytes)
        let deadline = outbound.deadline.map { NIODeadline.now() + .nanoseconds(Int64(($0 - .now).inSeconds * 1e9)) }
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: ExchangeEvent.self)
        let task = client.execute(request: request, delegate: ExchangeDelegate(limit: maximumMessageBytes, continuation: continuation), deadline: deadline)
        task.futureResult.whenFailure { continuation.finish(throwing: $0) }
        continuation.onTermination = { reason in
            if case .cancelled = reason { task.cancel() }
        }
        return ExchangeEvents(base: stream, url: url ?? self.url)
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
            if http == .deadlineExceeded { return .deadlineExceeded }
            if http == .connectTimeout { return .unreachable("\(url) did not answer in time") }
            if http == .cancelled { return .closed("cancelled") }
            if http == .remoteConnectionClosed { return .closed("\(url) closed the connection") }
        }
        return .unreachable("\(url): \(error)")
    }
}

/// An exchange's events with the client library's errors turned into ``ClientTransportError``.
struct ExchangeEvents: AsyncSequence, Sendable {
    typealias Element = ExchangeEvent
    let base: AsyncThrowingStream<ExchangeEvent, any Error>
    let url: String

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<ExchangeEvent, any Error>.AsyncIterator
        let url: String

        mutating func next() async throws -> ExchangeEvent? {
            do {
                return try await base.next()
            } catch let error as HTTPClientError where error == .deadlineExceeded {
                throw ClientTransportError.deadlineExceeded
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                throw HTTPUpstream.failure(error, url: url)
            }
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator(), url: url) }
}

/// Puts trace context fields (`traceparent`, `tracestate`) on an upstream request's headers.
struct TraceHeaders: Injector {
    func inject(_ value: String, forKey key: String, into headers: inout HTTPHeaders) { headers.replaceOrAdd(name: key, value: value) }
}
