public import MCPCore

/// Checks JSON values against the JSON Schema 2020-12 keywords tools use in practice.
///
/// Supported: `type`, `enum`, `const`, `properties`, `required`, `additionalProperties`, `items`, `prefixItems`,
/// `minItems`/`maxItems`, `uniqueItems`, `minLength`/`maxLength`, `pattern`, `minimum`/`maximum` and their
/// exclusive forms, `multipleOf`, `allOf`/`anyOf`/`oneOf`/`not`, `if`/`then`/`else`, and local `$ref`
/// (`#/$defs/…`, `#/definitions/…`, `#`). Unknown keywords are ignored, as the spec asks; remote `$ref`s are
/// never fetched.
public struct SchemaValidator: Sendable {
    let root: JSONValue

    public init(schema: JSONValue) { self.root = schema }

    /// Every problem found, each as `path: message`; empty when the value is valid.
    public func validate(_ value: JSONValue) -> [String] {
        var problems: [String] = []
        check(value, against: root, path: "", problems: &problems, depth: 0)
        return problems
    }

    private func resolve(_ ref: String) -> JSONValue? {
        guard ref.hasPrefix("#") else { return nil }
        var node = root
        for token in ref.dropFirst().split(separator: "/") {
            let key = String(token).replacingOccurrences("~1", with: "/").replacingOccurrences("~0", with: "~")
            guard let next = node[key] else { return nil }
            node = next
        }
        return node
    }

    private func check(_ value: JSONValue, against schema: JSONValue, path: String, problems: inout [String], depth: Int) {
        guard depth < 64 else { return }
        let at = path.isEmpty ? "input" : path
        if case .bool(let allowed) = schema {
            if !allowed { problems.append("\(at): no value is allowed here") }
            return
        }
        guard case .object(let s) = schema else { return }

        if let ref = s["$ref"]?.stringValue {
            if let target = resolve(ref) {
                check(value, against: target, path: path, problems: &problems, depth: depth + 1)
            } else {
                problems.append("\(at): schema reference \(ref) cannot be resolved")
            }
        }
        if let type = s["type"] {
            let fits: Bool
            switch type {
            case .string(let name): fits = Self.matches(value, type: name)
            case .array(let names): fits = !names.contains { $0.stringValue != nil } || names.contains { $0.stringValue.map { Self.matches(value, type: $0) } ?? false }
            default: fits = true
            }
            if !fits {
                let allowed = type.arrayValue?.compactMap(\.stringValue) ?? [type.stringValue].compactMap { $0 }
                problems.append("\(at): expected \(allowed.joined(separator: " or ")), found \(value.typeName)")
                return
            }
        }
        if let options = s["enum"]?.arrayValue, !options.contains(value) {
            problems.append("\(at): must be one of \(JSONValue.array(options).serializedString())")
        }
        if let constant = s["const"], constant != value {
            problems.append("\(at): must be \(constant.serializedString())")
        }
        switch value {
        case .object(let object): checkObject(object, s, path: path, problems: &problems, depth: depth)
        case .array(let array): checkArray(array, s, path: path, problems: &problems, depth: depth)
        case .string(let string): checkString(string, s, at: at, problems: &problems)
        case .number(let number): checkNumber(number, s, at: at, problems: &problems)
        default: break
        }
        checkCombinators(value, s, path: path, problems: &problems, depth: depth)
    }

    static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object), ("number", .number): true
        case ("integer", .number(let n)): n.isInteger
        default: false
        }
    }

    private func checkObject(_ object: JSONObject, _ s: JSONObject, path: String, problems: inout [String], depth: Int) {
        let at = path.isEmpty ? "input" : path
        let properties = s["properties"]?.objectValue ?? [:]
        for name in s["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[name] == nil {
            problems.append("\(at): missing required property \"\(name)\"")
        }
        for member in object {
            let childPath = path.isEmpty ? member.key : "\(path).\(member.key)"
            if let propertySchema = properties[member.key] {
                check(member.value, against: propertySchema, path: childPath, problems: &problems, depth: depth + 1)
            } else if let additional = s["additionalProperties"] {
                if case .bool(false) = additional {
                    problems.append("\(at): unexpected property \"\(member.key)\"")
                } else {
                    check(member.value, against: additional, path: childPath, problems: &problems, depth: depth + 1)
                }
            }
        }
    }

    private func checkArray(_ array: [JSONValue], _ s: JSONObject, path: String, problems: inout [String], depth: Int) {
        let at = path.isEmpty ? "input" : path
        if let min = s["minItems"]?.intValue, array.count < min { problems.append("\(at): needs at least \(min) items") }
        if let max = s["maxItems"]?.intValue, array.count > max { problems.append("\(at): allows at most \(max) items") }
        if s["uniqueItems"]?.boolValue == true {
            for i in array.indices where array[..<i].contains(array[i]) {
                problems.append("\(at): items must be unique")
                break
            }
        }
        let prefix = s["prefixItems"]?.arrayValue ?? []
        for (i, element) in array.enumerated() {
            let itemSchema = i < prefix.count ? prefix[i] : s["items"]
            if let itemSchema { check(element, against: itemSchema, path: "\(at)[\(i)]", problems: &problems, depth: depth + 1) }
        }
    }

    private func checkString(_ string: String, _ s: JSONObject, at: String, problems: inout [String]) {
        let length = string.count
        if let min = s["minLength"]?.intValue, length < min { problems.append("\(at): must be at least \(min) characters") }
        if let max = s["maxLength"]?.intValue, length > max { problems.append("\(at): must be at most \(max) characters") }
        if let pattern = s["pattern"]?.stringValue, let regex = try? Regex(pattern), (try? regex.firstMatch(in: string)) == nil {
            problems.append("\(at): must match the pattern \(pattern)")
        }
    }

    private func checkNumber(_ number: JSONNumber, _ s: JSONObject, at: String, problems: inout [String]) {
        guard let d = number.doubleValue else { return }
        if let min = s["minimum"]?.doubleValue, d < min { problems.append("\(at): must be ≥ \(s["minimum"]!)") }
        if let max = s["maximum"]?.doubleValue, d > max { problems.append("\(at): must be ≤ \(s["maximum"]!)") }
        if let min = s["exclusiveMinimum"]?.doubleValue, d <= min { problems.append("\(at): must be > \(s["exclusiveMinimum"]!)") }
        if let max = s["exclusiveMaximum"]?.doubleValue, d >= max { problems.append("\(at): must be < \(s["exclusiveMaximum"]!)") }
        if let m = s["multipleOf"]?.doubleValue, m > 0 {
            let q = d / m
            if abs(q - q.rounded()) > 1e-9 { problems.append("\(at): must be a multiple of \(s["multipleOf"]!)") }
        }
    }

    private func checkCombinators(_ value: JSONValue, _ s: JSONObject, path: String, problems: inout [String], depth: Int) {
        let at = path.isEmpty ? "input" : path
        func passes(_ schema: JSONValue) -> Bool {
            var scratch: [String] = []
            check(value, against: schema, path: path, problems: &scratch, depth: depth + 1)
            return scratch.isEmpty
        }
        for sub in s["allOf"]?.arrayValue ?? [] { check(value, against: sub, path: path, problems: &problems, depth: depth + 1) }
        if let any = s["anyOf"]?.arrayValue, !any.contains(where: passes) {
            problems.append("\(at): matches none of the allowed alternatives")
        }
        if let one = s["oneOf"]?.arrayValue, one.filter(passes).count != 1 {
            problems.append("\(at): must match exactly one of the alternatives")
        }
        if let not = s["not"], passes(not) { problems.append("\(at): matches a schema it must not match") }
        if let condition = s["if"] {
            let branch = passes(condition) ? s["then"] : s["else"]
            if let branch { check(value, against: branch, path: path, problems: &problems, depth: depth + 1) }
        }
    }
}

extension String {
    func replacingOccurrences(_ target: String, with replacement: String) -> String {
        guard contains(target) else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
