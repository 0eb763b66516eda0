import MCPClient
import Testing

@Suite struct FramingTests {
    @Test func linesSplitAcrossChunks() {
        var splitter = LineSplitter(maximumLineBytes: 100)
        #expect(splitter.feed(Array("{\"a\":".utf8)) == [])
        #expect(splitter.feed(Array("1}\r\n\n{\"b\":2}\n".utf8)) == [.line(Array("{\"a\":1}".utf8)), .line(Array("{\"b\":2}".utf8))])
    }

    @Test func anOverlongLineIsDroppedAndTheNextKept() {
        var splitter = LineSplitter(maximumLineBytes: 8)
        let pieces = splitter.feed(Array("0123456789abcdef".utf8)) + splitter.feed(Array("tail\nok\n".utf8))
        #expect(pieces == [.overlong(16), .line(Array("ok".utf8))])
    }

    @Test func sseEventsWithCommentsMultiLineDataAndCRLF() throws {
        var parser = SSEParser(maximumEventBytes: 1000)
        let stream = ": keep-alive\r\nevent: endpoint\r\ndata: /messages?s=1\r\n\r\nid: 7\ndata: {\"a\":\ndata: 1}\n\n"
        var events: [SSEParser.Event] = []
        for chunk in stream.utf8.map({ [$0] }) { events += try parser.feed(chunk) }
        #expect(events == [
            SSEParser.Event(name: "endpoint", data: "/messages?s=1", id: nil),
            SSEParser.Event(name: "message", data: "{\"a\":\n1}", id: "7"),
        ])
    }

    @Test func anSSEEventPastTheLimitIsRefused() {
        var parser = SSEParser(maximumEventBytes: 10)
        #expect(throws: SSEParser.Overflow.self) { try parser.feed(Array("data: 0123456789abc\n\n".utf8)) }
    }
}
