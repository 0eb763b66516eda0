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
        #expect(EventLog.parse("1-4") == EventLog.Position(stream: 1, sequence: 4))
        #expect(EventLog.parse("x") == nil)
    }

    @Test func eventIDsNameTheirInstanceInACluster() {
        var log = EventLog(capacity: 4, owner: "a1b2")
        #expect(log.append(.notification(JSONRPCNotification(method: "a")), stream: 3) == "3-1-a1b2")
        #expect(EventLog.parse("3-1-a1b2") == EventLog.Position(stream: 3, sequence: 1, owner: "a1b2"))
        // Malformed: empty or odd owners, negative numbers, too many parts.
        for bad in ["3-1-", "3-1-a.b", "-1-2", "3--1", "1-2-3-4", "3-1-\(String(repeating: "f", count: 65))"] { #expect(EventLog.parse(bad) == nil) }
    }

    @Test func base64HeaderValues() {
        #expect(EncodedHeaderValue.decode("=?base64?aMOpbGxv?=") == "héllo")
        #expect(EncodedHeaderValue.decode("plain") == "plain")
        #expect(EncodedHeaderValue.decode("=?base64?***?=") == nil)
        // "=?base64?=" is too short to hold the encoding: a plain value.
        #expect(EncodedHeaderValue.decode("=?base64?=") == "=?base64?=")
        for text in ["plain", " padded ", "héllo", "=?base64?x?=", "tab\there", ""] {
            #expect(EncodedHeaderValue.decode(EncodedHeaderValue.encode(text)) == text)
        }
    }
}

@Suite struct ForwardedTests {
    @Test func theFirstElementOfForwardedIsRead() {
        let element = Forwarded.element(#"for="[2001:db8:cafe::17]:4711";Proto=HTTPS;host="pier.example.com", for=198.51.100.17"#)
        #expect(element == ["for": "[2001:db8:cafe::17]:4711", "proto": "HTTPS", "host": "pier.example.com"])
        #expect(Forwarded.element("for=192.0.2.60;proto=http;by=203.0.113.43") == ["for": "192.0.2.60", "proto": "http", "by": "203.0.113.43"])
        #expect(Forwarded.element(#"for="a\"b""#) == ["for": #"a"b"#])
        #expect(Forwarded.element("garbage").isEmpty && Forwarded.element("").isEmpty && Forwarded.element(nil).isEmpty)
        #expect(Forwarded.element("for=1.2.3.4;for=5.6.7.8") == ["for": "1.2.3.4"])
    }

    @Test func nodesBecomeAddresses() {
        #expect(Forwarded.address(ofNode: "[2001:db8::1]:4711") == "2001:db8::1")
        #expect(Forwarded.address(ofNode: "192.0.2.1:80") == "192.0.2.1")
        #expect(Forwarded.address(ofNode: "2001:db8::1") == "2001:db8::1")
        #expect(Forwarded.address(ofNode: "_hidden") == "_hidden")
    }
}
