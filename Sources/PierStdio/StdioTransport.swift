public import Logging
import MCPCore
public import PierServer
import NIOCore
import NIOPosix
public import ServiceLifecycle
import PierSync
#if canImport(Glibc)
import Glibc
#endif

/// MCP over stdin/stdout: newline-delimited JSON-RPC, both protocol eras, for local clients (desktop apps, IDEs).
///
/// Requests run concurrently; each reply is written as one line. Logs must go to stderr. End of input ends the
/// service once the calls in flight have answered, and the process can exit cleanly. The protocol state is the
/// ``MCPConnection``'s; this type only frames lines and watches the pipes.
public struct StdioTransport: Service {
    let server: MCPServer
    let view: CatalogView
    let logger: Logger
    let maximumMessageBytes: Int
    let input: CInt
    let output: CInt

    public init(
        server: MCPServer, view: CatalogView = .everything, logger: Logger, maximumMessageBytes: Int = 16 * 1024 * 1024, input: CInt = 0,
        output: CInt = 1
    ) {
        self.server = server
        self.view = view
        self.logger = logger
        self.maximumMessageBytes = maximumMessageBytes
        self.input = input
        self.output = output
    }

    /// Why stdio cannot be served on these descriptors.
    public struct Unsupported: Error, CustomStringConvertible {
        public let description: String
    }

    /// NIO's pipe channel needs pipes, sockets or terminals; MCP clients start servers with pipes.
    static func checkDescriptor(_ fd: CInt, name: String) throws {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Unsupported(description: "\(name) is not open") }
        if (info.st_mode & S_IFMT) == S_IFREG {
            throw Unsupported(description: "--stdio needs \(name) to be a pipe, socket or terminal (as MCP clients start servers), not a regular file")
        }
    }

    /// `true` when nobody reads `fd` any more: a pipe whose read end closed reports an error to `poll` (or NIO has
    /// already closed the descriptor after seeing that error).
    static func readerHasGone(_ fd: CInt) -> Bool {
        var probe = pollfd(fd: fd, events: 0, revents: 0)
        return poll(&probe, 1, 0) > 0 && probe.revents & readerGone != 0
    }

    /// What `poll` reports on a pipe's write end once its reader is gone (or on a descriptor NIO has closed).
    static let readerGone = Int16(POLLERR | POLLHUP | POLLNVAL)

    /// Waits until `fd` reports an error or hang-up (nobody reads it any more), returning `true`, or until the task is
    /// cancelled, returning `false`: one blocking `poll()` on a thread of NIO's pool, woken through `wake` (a pipe's
    /// ends) on cancellation. No timer. The answer comes from that poll itself, so a descriptor number the system
    /// has meanwhile handed to something else is never looked at again.
    static func waitUntilReaderGone(_ fd: CInt, wake: (read: CInt, write: CInt)) async -> Bool {
        await withTaskCancellationHandler {
            let revents = try? await NIOThreadPool.singleton.runIfActive { () -> Int16 in
                var fds = [pollfd(fd: fd, events: 0, revents: 0), pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
                while poll(&fds, 2, -1) < 0, errno == EINTR {}
                return fds[0].revents
            }
            return (revents ?? 0) & readerGone != 0
        } onCancel: {
            var byte: UInt8 = 1
            _ = write(wake.write, &byte, 1)
        }
    }

    public func run() async throws {
        try Self.checkDescriptor(input, name: "stdin")
        try Self.checkDescriptor(output, name: "stdout")
        // The pipe that wakes the stdout watch, made while descriptors 0 and 1 are still open, so it cannot take
        // either number.
        var wakeFDs: [CInt] = [-1, -1]
        guard pipe(&wakeFDs) == 0 else { throw Unsupported(description: "cannot create a pipe") }
        let wake = (read: wakeFDs[0], write: wakeFDs[1])
        defer {
            close(wake.read)
            close(wake.write)
        }
        let maximum = maximumMessageBytes
        let channel = try await NIOPipeBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .takingOwnershipOfDescriptors(input: input, output: output) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(BoundedLineDecoder(maximumLength: maximum)))
                    return try NIOAsyncChannel<BoundedLineDecoder.Frame, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let pipeChannel = channel.channel
        // Subscribe before reading any input, so no change published by an early request is missed.
        let (events, after) = server.numberedEvents()
        let cursor = EventCursor(at: after)
        // Fired when the client is gone: a write failed, or stdout lost its reader after input ended.
        let gone = CancelSignal()
        let inputEnded = CancelSignal()
        let out = LineWriter(pipeChannel, onClosed: gone.fire)
        let connection = MCPConnection(server: server, view: view, setup: .stdio)
        let output = self.output
        try await channel.executeThenClose { inbound, _ in
            try await withThrowingTaskGroup(of: Void.self) { outer in
                // List changes and resource updates: for an initialized legacy client, and for open listens.
                outer.addTask {
                    defer { cursor.finish() }
                    for await numbered in events {
                        for notification in connection.notifications(for: numbered.event) { await out.send(.notification(notification)) }
                        cursor.advance(to: numbered.number)
                    }
                }
                // A client that vanished (not one that only closed stdin) takes the work done for it with it.
                outer.addTask {
                    await gone.wait()
                    if !Task.isCancelled { connection.abandon() }
                }
                // After input ends, the only sign left that the client vanished is stdout losing its reader.
                outer.addTask {
                    await inputEnded.wait()
                    if Task.isCancelled { return }
                    if Self.readerHasGone(output) { return gone.fire() }
                    if await Self.waitUntilReaderGone(output, wake: wake) { gone.fire() }
                }
                try await withThrowingDiscardingTaskGroup { group in
                    for try await frame in inbound {
                        if Task.isShuttingDownGracefully { break }
                        switch frame {
                        case .tooLong:
                            await out.send(.response(JSONRPCResponse(id: nil, error: .invalidRequest("Message exceeds \(maximum) bytes"))))
                        case .line(let line):
                            guard line.readableBytes > 0 else { continue }
                            group.addTask { await Self.receive(line, on: connection, out: out, after: cursor) }
                        }
                    }
                    inputEnded.fire()
                    connection.endListens()
                }
                // Input ended, and every call has answered with its reply written out.
                outer.cancelAll()
            }
        }
    }
}

extension StdioTransport {
    /// Parses one line and hands it to the connection; a reply, if any, goes out as one line, after the
    /// notifications of every change published by then (a call's own changes are announced before its answer).
    static func receive(_ line: ByteBuffer, on connection: MCPConnection, out: LineWriter, after cursor: EventCursor) async {
        let json: JSONValue
        do {
            json = try line.withUnsafeReadableBytes { bytes throws(JSONParseError) in try JSONValue(parsing: bytes) }
        } catch {
            await out.send(.response(JSONRPCResponse(id: nil, error: .parseError("Parse error: \(error.description)"))))
            return
        }
        let message: JSONRPCMessage
        do {
            message = try JSONRPCMessage(json: json)
        } catch {
            await out.send(.response(JSONRPCResponse(id: error.requestID, error: error)))
            return
        }
        switch message {
        case .request(let r):
            let sink = NotificationSink { await out.send(.notification($0)) }
            guard let response = await connection.serve(r, sink: sink, send: { await out.send(.request($0)) }) else { return }
            await cursor.wait(through: connection.server.lastEventNumber)
            await out.send(.response(response))
        case .notification(let n):
            connection.receive(n)
        case .response(let response):
            connection.receive(response)
        }
    }
}

/// Writes replies, one JSON-RPC message per line. `send` returns once the line is written to the descriptor, so
/// nothing is lost when the process ends, and a slow reader holds back its writers (backpressure).
struct LineWriter: Sendable {
    let channel: any Channel
    let onClosed: @Sendable () -> Void

    init(_ channel: any Channel, onClosed: @escaping @Sendable () -> Void) {
        self.channel = channel
        self.onClosed = onClosed
    }

    func send(_ message: JSONRPCMessage) async {
        var writer = JSONWriter(capacity: 256)
        writer.write(message)
        writer.appendRaw("\n")
        do {
            try await channel.writeAndFlush(ByteBuffer(bytes: writer.bytes)).get()
        } catch {
            // A closed stdout means the client has gone; there is nobody left to tell, so its work stops.
            onClosed()
        }
    }
}
