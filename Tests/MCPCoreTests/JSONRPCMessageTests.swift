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

@Suite struct MessageWriterTests {
    @Test(arguments: [
        #"{"jsonrpc":"2.0","id":"a","method":"tools/list","params":{"cursor":"x"}}"#,
        #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#,
        #"{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"p","progress":0.5}}"#,
        #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
        #"{"jsonrpc":"2.0","id":12345678901234567890,"result":{"content":[{"type":"text","text":"a\"b\n"}],"x":1.50}}"#,
        #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}"#,
        #"{"jsonrpc":"2.0","id":"e","error":{"code":-32602,"message":"m","data":{"uri":"a://1"}}}"#,
    ])
    func writesAMessageAsItsJSONWould(_ text: String) throws {
        let message = try JSONRPCMessage(json: JSONValue(parsing: text))
        var direct = JSONWriter()
        direct.write(message)
        var tree = JSONWriter()
        tree.write(message.json)
        #expect(direct.bytes == tree.bytes)
        #expect(try JSONRPCMessage(json: JSONValue(parsing: direct.bytes)) == message)
    }

    @Test func sharedKeysReadLikeAnyOther() throws {
        let text = #"{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilitiesX":1,"io.modelcontextprotocol/clientCapabilities":{}}}"#
        let value = try JSONValue(parsing: text)
        #expect(value["_meta"]?[MetaKey.protocolVersion] == "2026-07-28")
        #expect(value["_meta"]?[MetaKey.clientCapabilities] == [:])
        #expect(value["_meta"]?["io.modelcontextprotocol/clientCapabilitiesX"] == 1)
        #expect(value["_meta"]?.objectValue?.keys == [MetaKey.protocolVersion, "io.modelcontextprotocol/clientCapabilitiesX", MetaKey.clientCapabilities])
        // An escaped key is decoded, not shared by its raw bytes.
        let escaped = try JSONValue(parsing: #"{"io.modelcontextprotocol\/protocolVersion":"v"}"#)
        #expect(escaped[MetaKey.protocolVersion] == "v")
    }
}
