/// Encodes `Encodable` values straight to ``JSONValue``.
///
/// Keys keep the order in which `encode(to:)` writes them, which for synthesized conformances is declaration
/// order; `nil` optionals are left out.
public struct JSONValueEncoder: Sendable {
    public init() {}

    /// Encodes `value`.
    public func encode(_ value: some Encodable) throws -> JSONValue {
        if let v = value as? JSONValue { return v }
        let encoder = ValueEncoder(codingPath: [])
        try value.encode(to: encoder)
        return encoder.storage.value
    }
}

/// A mutable box that nested containers write into.
private final class Box {
    enum Content {
        case empty
        case single(JSONValue)
        case object([(String, Box)])
        case array([Box])
    }
    var content: Content = .empty

    var value: JSONValue {
        switch content {
        case .empty: return .object(JSONObject())
        case .single(let v): return v
        case .object(let members):
            var o = JSONObject()
            for (k, b) in members { o[k] = b.value }
            return .object(o)
        case .array(let boxes): return .array(boxes.map(\.value))
        }
    }

    func child(forKey key: String) -> Box {
        let b = Box()
        if case .object(var members) = content {
            members.append((key, b))
            content = .object(members)
        } else {
            content = .object([(key, b)])
        }
        return b
    }

    func appendChild() -> Box {
        let b = Box()
        if case .array(var items) = content {
            items.append(b)
            content = .array(items)
        } else {
            content = .array([b])
        }
        return b
    }
}

private func scalar(_ value: some Encodable) -> JSONValue? {
    switch value {
    case let v as String: return .string(v)
    case let v as Bool: return .bool(v)
    case let v as Int: return .int(v)
    case let v as Int64: return .int(Int(v))
    case let v as Int32: return .int(Int(v))
    case let v as UInt: return .number(JSONNumber(unchecked: String(v)))
    case let v as Double: return .double(v)
    case let v as Float: return .double(Double(v))
    case let v as JSONValue: return v
    case let v as JSONObject: return .object(v)
    default: return nil
    }
}

private struct ValueEncoder: Encoder {
    let storage: Box
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(codingPath: [any CodingKey], storage: Box = Box()) {
        self.codingPath = codingPath
        self.storage = storage
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object = storage.content {} else { storage.content = .object([]) }
        return KeyedEncodingContainer(KeyedContainer<Key>(box: storage, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array = storage.content {} else { storage.content = .array([]) }
        return UnkeyedContainer(box: storage, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleContainer(box: storage, codingPath: codingPath) }
}

private func encodeInto(_ box: Box, _ value: some Encodable, _ path: [any CodingKey]) throws {
    if let s = scalar(value) {
        box.content = .single(s)
    } else {
        try value.encode(to: ValueEncoder(codingPath: path, storage: box))
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: Box
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { box.child(forKey: key.stringValue).content = .single(.null) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try encodeInto(box.child(forKey: key.stringValue), value, codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        ValueEncoder(codingPath: codingPath + [key], storage: box.child(forKey: key.stringValue)).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        ValueEncoder(codingPath: codingPath + [key], storage: box.child(forKey: key.stringValue)).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { ValueEncoder(codingPath: codingPath, storage: box.child(forKey: "super")) }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        ValueEncoder(codingPath: codingPath + [key], storage: box.child(forKey: key.stringValue))
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let box: Box
    let codingPath: [any CodingKey]
    var count: Int {
        if case .array(let items) = box.content { return items.count }
        return 0
    }

    mutating func encodeNil() throws { box.appendChild().content = .single(.null) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = codingPath + [AnyKey(intValue: count)]
        try encodeInto(box.appendChild(), value, path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        ValueEncoder(codingPath: codingPath, storage: box.appendChild()).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        ValueEncoder(codingPath: codingPath, storage: box.appendChild()).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { ValueEncoder(codingPath: codingPath, storage: box.appendChild()) }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let box: Box
    let codingPath: [any CodingKey]
    mutating func encodeNil() throws { box.content = .single(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws { try encodeInto(box, value, codingPath) }
}

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int.self) {
            self = .int(i)
        } else if let d = try? c.decode(Double.self) {
            self = .double(d)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            let o = try c.decode([String: JSONValue].self)
            self = .object(JSONObject(o.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n):
            if let i = Int(n.text) { try c.encode(i) } else { try c.encode(n.doubleValue ?? 0) }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o):
            var d: [String: JSONValue] = [:]
            for m in o.members { d[m.key] = m.value }
            try c.encode(d)
        }
    }
}
