public import MCPCore

/// The `securitySchemes` each tool publishes (top level, and mirrored in `_meta` for clients that read only that),
/// so ChatGPT shows the right sign-in. Under `PIER_AUTH=oauth` (or `external`) every tool needs a token: read-only
/// tools `mcp:read`, the rest `mcp:write`, unless the operator names another scope for a tool
/// (``ScopePolicy``). The published schemes are what the resource server enforces: one source of truth.
public enum SecuritySchemes {
    /// The schemes of a tool that needs `scope`; `optional`: signing in is optional on the endpoint, so a tool
    /// that needs only `mcp:read` works anonymously too (`noauth` first).
    public static func schemes(scope: String, optional: Bool) -> JSONValue {
        let oauth: JSONValue = ["type": "oauth2", "scopes": [.string(scope)]]
        return optional && scope == Scopes.read ? [["type": "noauth"], oauth] : [oauth]
    }

    /// What a tool's published schemes require: the scope of its `oauth2` scheme (nil when it has none), and
    /// whether `noauth` lets anonymous callers in.
    public static func requirement(of descriptor: JSONObject) -> (scope: String?, anonymous: Bool) {
        guard case .array(let schemes)? = descriptor["securitySchemes"] else { return (nil, false) }
        var scope: String?
        var anonymous = false
        for case .object(let scheme) in schemes {
            switch scheme["type"]?.stringValue {
            case "noauth": anonymous = true
            case "oauth2": if scope == nil, case .array(let scopes)? = scheme["scopes"] { scope = scopes.first?.stringValue }
            default: break
            }
        }
        return (scope, anonymous)
    }

    static func patched(_ descriptor: JSONObject, _ schemes: JSONValue) -> JSONObject {
        var out = descriptor
        out["securitySchemes"] = schemes
        var meta = descriptor["_meta"]?.objectValue ?? [:]
        meta["securitySchemes"] = schemes
        out["_meta"] = .object(meta)
        return out
    }
}

/// Which scope each tool needs: `mcp:read` for read-only tools, `mcp:write` for the rest, or what the operator
/// set for a tool by name (`tool_scopes`), which may be a scope of its own (`cart:admin`) that the authorization
/// server then offers too.
public struct ScopePolicy: Sendable, Equatable {
    public var overrides: [String: String]
    /// Signing in is optional (mixed auth): tools that need only `mcp:read` also publish `noauth`.
    public var optional: Bool

    public init(overrides: [String: String] = [:], optional: Bool = false) {
        self.overrides = overrides
        self.optional = optional
    }

    /// Whether `scope` is a well-formed scope token (RFC 6749 §3.3, kept to a safe subset).
    public static func isValidScope(_ scope: String) -> Bool {
        !scope.isEmpty && scope.utf8.count <= 64 && scope.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || ":._-".unicodeScalars.contains($0)) }
    }

    public func scope(tool: String, readOnly: Bool) -> String { overrides[tool] ?? Scopes.needed(readOnly: readOnly) }

    /// The scopes the overrides add to Pier's two.
    public var extraScopes: [String] { Set(overrides.values).subtracting(Scopes.offered).sorted() }

    /// `descriptor` of tool `name` with its schemes set (whatever the tool declared: the mode decides).
    public func describe(_ name: String, _ descriptor: JSONObject, readOnly: Bool) -> JSONObject {
        SecuritySchemes.patched(descriptor, SecuritySchemes.schemes(scope: scope(tool: name, readOnly: readOnly), optional: optional))
    }
}
