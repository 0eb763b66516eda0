import MCPCore
@testable import PierHTTP
import Testing

@Suite struct PolicyTests {
    @Test func originsAndHosts() {
        var c = MCPHTTPConfiguration()
        c.corsOrigins = ["https://chatgpt.com"]
        let p = EdgePolicy(configuration: c)
        #expect(p.isAllowedOrigin("https://chatgpt.com"))
        #expect(p.isAllowedOrigin("http://localhost:5173"))
        #expect(!p.isAllowedOrigin("https://evil.example"))
        #expect(!p.isAllowedOrigin("http://localhost.evil.example"))
        #expect(p.isAllowedHost("localhost:8080") && p.isAllowedHost("[::1]:8080"))
        #expect(!p.isAllowedHost("evil.example"))
    }

    @Test func eventLogIsBoundedAndPerStream() {
        var log = EventLog(capacity: 3)
        let a = log.append(.notification(JSONRPCNotification(method: "a")), stream: 1)
        _ = log.append(.notification(JSONRPCNotification(method: "b")), stream: 2)
        _ = log.append(.notification(JSONRPCNotification(method: "c")), stream: 1)
        _ = log.append(.notification(JSONRPCNotification(method: "d")), stream: 1)
        #expect(a == "1-1")
        #expect(log.entries.count == 3)
        #expect(log.events(after: 1, stream: 1).map(\.sequence) == [3, 4])
        #expect(log.events(after: 0, stream: 2).map(\.sequence) == [2])
        #expect(EventLog.parse("1-4")! == (1, 4))
        #expect(EventLog.parse("x") == nil)
    }

    @Test func base64HeaderValues() {
        #expect(HeaderValidation.decode("=?base64?aMOpbGxv?=") == "héllo")
        #expect(HeaderValidation.decode("plain") == "plain")
        #expect(HeaderValidation.decode("=?base64?***?=") == nil)
    }
}
