import AsyncHTTPClient
import MCPClient
import MCPCore
import NIOCore
import NIOHTTP1

/// What one HTTP exchange with an upstream yields, in order: the messages of its body (one for JSON, each
/// event's for an event stream) as they arrive, then how it ended.
enum ExchangeEvent: Sendable {
    case message(JSONRPCMessage)
    /// The end: the status, the session id header, and the body when it was neither JSON-RPC nor an event stream.
    case end(status: Int, sessionID: String?, body: [UInt8])
}

/// Reads an upstream's answer on the connection's event loop: a JSON body is collected and parsed there, an
/// event stream parsed as it arrives, and only the results cross to the waiting task (one hop for a JSON
/// answer, instead of one per body chunk).
final class ExchangeDelegate: HTTPClientResponseDelegate, @unchecked Sendable {
    typealias Response = Void

    private let continuation: AsyncThrowingStream<ExchangeEvent, any Error>.Continuation
    private let limit: Int
    // Event-loop confined: the delegate's callbacks all run on the connection's event loop.
    private var status = 0
    private var sessionID: String?
    private var streaming = false
    private var body: [UInt8] = []
    private var parser: SSEParser

    init(limit: Int, continuation: AsyncThrowingStream<ExchangeEvent, any Error>.Continuation) {
        self.limit = limit
        self.continuation = continuation
        self.parser = SSEParser(maximumEventBytes: limit)
    }

    func didReceiveHead(task: HTTPClient.Task<Void>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        status = Int(head.status.code)
        sessionID = head.headers.first(name: "Mcp-Session-Id")
        streaming = (200..<300).contains(status) && head.headers.first(name: "Content-Type")?.lowercased().hasPrefix("text/event-stream") == true
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Void>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        if streaming {
            do {
                for event in try parser.feed(buffer.readableBytesView) {
                    for message in HTTPUpstream.messages(Array(event.data.utf8)) { continuation.yield(.message(message)) }
                }
            } catch {
                task.fail(reason: ClientTransportError.tooLarge(limit))
            }
        } else {
            guard body.count + buffer.readableBytes <= limit else {
                task.fail(reason: ClientTransportError.tooLarge(limit))
                return task.eventLoop.makeSucceededVoidFuture()
            }
            body.append(contentsOf: buffer.readableBytesView)
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveError(task: HTTPClient.Task<Void>, _ error: any Error) {
        continuation.finish(throwing: error)
    }

    func didFinishRequest(task: HTTPClient.Task<Void>) throws {
        var rest = body
        if !streaming, !body.isEmpty {
            let messages = HTTPUpstream.messages(body)
            if !messages.isEmpty {
                for message in messages { continuation.yield(.message(message)) }
                rest = []
            }
        }
        continuation.yield(.end(status: status, sessionID: sessionID, body: rest))
        continuation.finish()
    }
}
