import MCPCore
import Testing

@Suite struct JSONTests {
    @Test func numbersKeepTheirLiteralText() throws {
        let text = #"{"i":1,"f":1.5,"big":123456789012345678901234567890,"e":1.5e3,"neg":-0.25}"#
        let value = try JSONValue(parsing: text)
        #expect(value.serializedString() == text)
        #expect(value["i"]?.intValue == 1)
        #expect(value["f"]?.doubleValue == 1.5)
        #expect(value["big"]?.intValue == nil)
        #expect(value["i"]?.typeName == "integer")
        #expect(value["f"]?.typeName == "number")
    }

    @Test func unknownKeysAndOrderSurviveARoundTrip() throws {
        let text = #"{"name":"x","securitySchemes":[{"type":"noauth"}],"_meta":{"a":1,"ui":{"resourceUri":"ui://w"}},"zz":null}"#
        #expect(try JSONValue(parsing: text).serializedString() == text)
    }

    @Test func stringsEscapeAndUnescape() throws {
        let value = try JSONValue(parsing: #""a\"b\\c\n\t\u00e9\ud83d\ude00/\/""#)
        #expect(value.stringValue == "a\"b\\c\n\té😀//")
        #expect(JSONValue.string("q\"\u{1}\n").serializedString() == #""q\"\u0001\n""#)
        #expect(try JSONValue(parsing: JSONValue.string("é 😀").serializedString()).stringValue == "é 😀")
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":}", "01", "1.", "tru", "\"unterminated", "{\"a\" 1}", "[1] x", "\"\u{1}\"", "\"\\ud800\"",
    ])
    func malformedInputIsRejected(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test(arguments: [
        [0x22, 0xFF, 0x22], [0x22, 0xC3, 0x28, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xE2, 0x82, 0x22],
        [0x22, 0x5C, 0x6E, 0xC0, 0xAF, 0x22], [0x22, 0xF8, 0x88, 0x80, 0x80, 0x80, 0x22],
    ] as [[UInt8]])
    func invalidUTF8IsRejected(_ bytes: [UInt8]) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: bytes) }
    }

    @Test func validUTF8SurvivesBothPaths() throws {
        let plain = Array("\"é 😀 ж\"".utf8)
        let escaped = Array("\"é\\n😀\"".utf8)
        #expect(try JSONValue(parsing: plain).stringValue == "é 😀 ж")
        #expect(try JSONValue(parsing: escaped).stringValue == "é\n😀")
    }

    @Test func nestingIsBounded() {
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: deep) }
        #expect((try? JSONValue(parsing: deep, maxDepth: 300)) != nil)
    }

    @Test func errorsNameTheOffset() {
        do {
            _ = try JSONValue(parsing: #"{"a": x}"#)
            Issue.record("expected an error")
        } catch {
            #expect(error.offset == 6)
        }
    }

    @Test func objectEqualityIgnoresOrder() throws {
        #expect(try JSONValue(parsing: #"{"a":1,"b":2}"#) == JSONValue(parsing: #"{"b":2,"a":1}"#))
        #expect(try JSONValue(parsing: #"{"a":1}"#) != JSONValue(parsing: #"{"a":2}"#))
    }

    struct Input: Codable, Equatable {
        var text: String
        var count: Int
        var ratio: Double?
        var tags: [String]
        var nested: Nested
        struct Nested: Codable, Equatable { var flag: Bool }
    }

    @Test func codableBridgeDecodesAndEncodesWithoutText() throws {
        let json: JSONValue = ["text": "hi", "count": 3, "tags": ["a", "b"], "nested": ["flag": true]]
        let input = try JSONValueDecoder().decode(Input.self, from: json)
        #expect(input == Input(text: "hi", count: 3, ratio: nil, tags: ["a", "b"], nested: .init(flag: true)))
        let back = try JSONValueEncoder().encode(input)
        #expect(back == json)
        #expect(back.serializedString() == #"{"text":"hi","count":3,"tags":["a","b"],"nested":{"flag":true}}"#)
    }

    @Test func codableBridgeReportsThePath() {
        let json: JSONValue = ["text": "hi", "count": "three", "tags": [], "nested": ["flag": true]]
        #expect {
            try JSONValueDecoder().decode(Input.self, from: json)
        } throws: { error in
            guard case DecodingError.typeMismatch(_, let ctx) = error else { return false }
            return ctx.codingPath.map(\.stringValue) == ["count"]
        }
    }
}
