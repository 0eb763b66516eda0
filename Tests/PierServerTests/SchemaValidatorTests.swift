import MCPCore
import PierServer
import Testing

@Suite struct SchemaValidatorTests {
    func problems(_ schema: String, _ value: String) throws -> [String] {
        SchemaValidator(schema: try JSONValue(parsing: schema)).validate(try JSONValue(parsing: value))
    }

    @Test func typesAndRequired() throws {
        let schema = #"{"type":"object","properties":{"n":{"type":"integer","minimum":1},"s":{"type":"string","maxLength":3}},"required":["n"],"additionalProperties":false}"#
        #expect(try problems(schema, #"{"n":2,"s":"abc"}"#).isEmpty)
        #expect(try problems(schema, #"{"n":1.5}"#) == ["n: expected integer, found number"])
        #expect(try problems(schema, #"{"n":0}"#).count == 1)
        #expect(try problems(schema, #"{"s":"abcd"}"#).count == 2)
        #expect(try problems(schema, #"{"n":2,"x":1}"#) == [#"input: unexpected property "x""#])
        #expect(try problems(schema, #"{"n":2.0}"#).isEmpty)
    }

    @Test func combinatorsRefsAndEnums() throws {
        let schema = ##"{"$defs":{"color":{"enum":["red","green"]}},"type":"object","properties":{"c":{"$ref":"#/$defs/color"},"v":{"anyOf":[{"type":"string"},{"type":"integer"}]},"o":{"oneOf":[{"minimum":0},{"maximum":10}]}}}"##
        #expect(try problems(schema, #"{"c":"red","v":1}"#).isEmpty)
        #expect(try problems(schema, #"{"c":"blue"}"#).count == 1)
        #expect(try problems(schema, #"{"v":true}"#).count == 1)
        #expect(try problems(schema, #"{"o":5}"#).count == 1)
    }

    @Test func arraysAndPatterns() throws {
        let schema = #"{"type":"array","items":{"type":"string","pattern":"^[a-z]+$"},"minItems":1,"uniqueItems":true}"#
        #expect(try problems(schema, #"["ab","cd"]"#).isEmpty)
        #expect(try problems(schema, #"[]"#).count == 1)
        #expect(try problems(schema, #"["ab","ab"]"#).count == 1)
        #expect(try problems(schema, #"["AB"]"#).count == 1)
    }

    @Test func uriTemplates() {
        let t = URITemplate("test://template/{id}/data")
        #expect(t.match("test://template/42/data") == ["id": "42"])
        #expect(t.match("test://template/42/other") == nil)
        #expect(t.match("test://template//data") == nil)
        #expect(URITemplate("file:///{path}").match("file:///a.txt") == ["path": "a.txt"])
    }
}
