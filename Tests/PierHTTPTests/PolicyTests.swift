import MCPCore
@testable import PierHTTP
import PierApplication
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

    @Test func configurationNamesTheBadKey() throws {
        #expect { try PierConfiguration.load(file: nil, environment: ["PORT": "eighty"]) } throws: {
            ($0 as? ConfigurationError)?.key == "PORT"
        }
        #expect { try PierConfiguration.load(file: nil, environment: ["LOG_LEVEL": "loud"]) } throws: {
            ($0 as? ConfigurationError)?.description.contains("LOG_LEVEL") == true
        }
        #expect { try PierConfiguration.load(file: nil, environment: ["BASE_URL": "ftp://x"]) } throws: { $0 is ConfigurationError }
        let ok = try PierConfiguration.load(file: nil, environment: ["PORT": "9000", "ALLOWED_HOSTS": "a.example, b.example", "BASE_URL": "https://pier.example"])
        #expect(ok.port == 9000 && ok.httpConfiguration.allowedHosts == ["a.example", "b.example"])
        #expect(ok.httpConfiguration.allowedOrigins == ["https://pier.example"])
    }
}
