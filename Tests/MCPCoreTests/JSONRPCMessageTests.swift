import MCPCore
import Testing

@Suite struct JSONRPCMessageTests {
    @Test func parsesEachKind() throws {
        let request = try JSONRPCMessage(json: JSONValue(parsing: #"{"jsonrpc":"2.0","id":"a","method":"tools/list","params":{"cursor":"x"}}"#))
        guard case .request(let r) = request else { Issue.record("not a request"); return }
        #expect(r.id == .string("a") && r.method == "tools/list" && r.params["cursor"] == "x")

        let note = try JSONRPCMessage(json: JSONValue(parsing: #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#))
        guard case .notification(let n) = note else { Issue.record("not a notification"); return }
        #expect(n.method == "notifications/initialized")

        let error = try JSONRPCMessage(json: JSONValue(parsing: #"{"jsonrpc":"2.0","id":7,"error":{"code":-32000,"message":"m","data":{"x":[1]}}}"#))
        guard case .response(let e) = error else { Issue.record("not a response"); return }
        #expect(e.id == .int(7))
        #expect(e.error?.data == ["x": [1]])
    }

    @Test func integerAndStringIdsDiffer() {
        #expect(JSONRPCID.int(1) != JSONRPCID.string("1"))
    }

    @Test(arguments: [
        #"[]"#, #"{"id":1,"method":"x"}"#, #"{"jsonrpc":"2.0","id":1,"method":3}"#, #"{"jsonrpc":"2.0","id":1,"method":"x","params":[1]}"#,
        #"{"jsonrpc":"2.0","id":{},"method":"x"}"#, #"{"jsonrpc":"2.0","id":1}"#,
    ])
    func rejectsMalformedEnvelopes(_ text: String) throws {
        let json = try JSONValue(parsing: text)
        #expect(throws: MCPError.self) { try JSONRPCMessage(json: json) }
    }

    @Test func errorsCarryTheIdWhenKnown() throws {
        let json = try JSONValue(parsing: #"{"jsonrpc":"1.0","id":5,"method":"x"}"#)
        do throws(MCPError) {
            _ = try JSONRPCMessage(json: json)
            Issue.record("expected an error")
        } catch {
            #expect(error.requestID == .int(5) && error.code == ErrorCode.invalidRequest)
        }
    }

    @Test func versionNegotiation() {
        #expect(ProtocolVersion.negotiateLegacy(requested: "2025-06-18") == .v2025_06_18)
        #expect(ProtocolVersion.negotiateLegacy(requested: "2099-01-01") == .v2025_11_25)
        #expect(ProtocolVersion.negotiateLegacy(requested: "2026-07-28") == .v2025_11_25)
        #expect(ProtocolVersion.v2026_07_28.isModern && !ProtocolVersion.v2025_11_25.isModern)
        #expect(ProtocolVersion.v2025_03_26.allowsBatches && !ProtocolVersion.v2025_06_18.allowsBatches)
        let error = MCPError.unsupportedVersion(requested: "1999-01-01")
        #expect(error.code == -32022)
        #expect(error.data?["supported"]?.arrayValue?.contains("2026-07-28") == true)
        #expect(error.data?["requested"] == "1999-01-01")
    }
}
