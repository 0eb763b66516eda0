/// A JSON-RPC request id: a string or an integer, kept exactly as sent (`1` and `"1"` are different ids).
public enum JSONRPCID: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case number(JSONNumber)

    /// Reads an id from a JSON value; `nil` for anything but a string or an integral number.
    public init?(json: JSONValue) {
        switch json {
        case .string(let s): self = .string(s)
        case .number(let n) where n.isInteger: self = .number(n)
        default: return nil
        }
    }

    /// An integer id.
    public static func int(_ value: Int) -> JSONRPCID { .number(JSONNumber(value)) }

    /// The id as JSON.
    public var json: JSONValue {
        switch self {
        case .string(let s): .string(s)
        case .number(let n): .number(n)
        }
    }

    public var description: String {
        switch self {
        case .string(let s): "\"\(s)\""
        case .number(let n): n.text
        }
    }
}
