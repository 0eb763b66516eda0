public import MCPCore

/// Small builders for the JSON Schemas tools declare.
///
/// ```swift
/// JSONSchema.object(properties: ["text": JSONSchema.string(description: "Text to echo")], required: ["text"])
/// ```
public enum JSONSchema {
    /// An object schema.
    public static func object(
        properties: [(String, JSONValue)] = [], required: [String] = [], additionalProperties: Bool? = nil, description: String? = nil
    ) -> JSONValue {
        var o: JSONObject = ["type": "object", "properties": .object(JSONObject(properties))]
        if !required.isEmpty { o["required"] = .array(required.map { .string($0) }) }
        if let additionalProperties { o["additionalProperties"] = .bool(additionalProperties) }
        if let description { o["description"] = .string(description) }
        return .object(o)
    }

    /// A string schema, optionally limited to `enum` values.
    public static func string(description: String? = nil, enum values: [String]? = nil, default value: String? = nil) -> JSONValue {
        var o: JSONObject = ["type": "string"]
        if let description { o["description"] = .string(description) }
        if let values { o["enum"] = .array(values.map { .string($0) }) }
        if let value { o["default"] = .string(value) }
        return .object(o)
    }

    /// An integer schema.
    public static func integer(description: String? = nil, minimum: Int? = nil, maximum: Int? = nil) -> JSONValue {
        var o: JSONObject = ["type": "integer"]
        if let description { o["description"] = .string(description) }
        if let minimum { o["minimum"] = .int(minimum) }
        if let maximum { o["maximum"] = .int(maximum) }
        return .object(o)
    }

    /// A number schema.
    public static func number(description: String? = nil) -> JSONValue {
        var o: JSONObject = ["type": "number"]
        if let description { o["description"] = .string(description) }
        return .object(o)
    }

    /// A Boolean schema.
    public static func boolean(description: String? = nil) -> JSONValue {
        var o: JSONObject = ["type": "boolean"]
        if let description { o["description"] = .string(description) }
        return .object(o)
    }

    /// An array schema.
    public static func array(of items: JSONValue, description: String? = nil) -> JSONValue {
        var o: JSONObject = ["type": "array", "items": items]
        if let description { o["description"] = .string(description) }
        return .object(o)
    }
}
