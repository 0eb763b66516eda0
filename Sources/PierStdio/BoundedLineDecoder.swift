import NIOCore

/// Splits a byte stream into newline-delimited frames, scanning each byte once (linear in the message size).
///
/// A line longer than `maximumLength` is not buffered: the decoder emits ``Frame/tooLong`` once, drops bytes up
/// to the next newline, and carries on, so one bad peer message cannot exhaust memory or stop the stream.
struct BoundedLineDecoder: ByteToMessageDecoder {
    enum Frame: Sendable {
        case line(ByteBuffer)
        case tooLong
    }
    typealias InboundOut = Frame

    let maximumLength: Int
    private var scanned = 0
    private var discarding = false

    init(maximumLength: Int) { self.maximumLength = maximumLength }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let view = buffer.readableBytesView
        if let newline = view.dropFirst(scanned).firstIndex(of: UInt8(ascii: "\n")) {
            let length = newline - view.startIndex
            scanned = 0
            if discarding {
                buffer.moveReaderIndex(forwardBy: length + 1)
                discarding = false
                return .continue
            }
            var line = buffer.readSlice(length: length)!
            buffer.moveReaderIndex(forwardBy: 1)
            if line.readableBytes > 0, line.getInteger(at: line.writerIndex - 1, as: UInt8.self) == UInt8(ascii: "\r") {
                line.moveWriterIndex(to: line.writerIndex - 1)
            }
            context.fireChannelRead(Self.wrapInboundOut(.line(line)))
            return .continue
        }
        if buffer.readableBytes > maximumLength || discarding {
            if !discarding { context.fireChannelRead(Self.wrapInboundOut(.tooLong)) }
            discarding = true
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            scanned = 0
            return .needMoreData
        }
        scanned = buffer.readableBytes
        return .needMoreData
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // A last line without a newline still counts.
        if try decode(context: context, buffer: &buffer) == .continue { return .continue }
        if buffer.readableBytes > 0, !discarding {
            let line = buffer.readSlice(length: buffer.readableBytes)!
            context.fireChannelRead(Self.wrapInboundOut(.line(line)))
        }
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return .needMoreData
    }
}
