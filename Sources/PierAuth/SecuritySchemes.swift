public import MCPCore

/// The `securitySchemes` each tool publishes (top level, and mirrored in `_meta` for clients that read only that),
/// so ChatGPT shows the right sign-in: under `PIER_AUTH=oauth` every tool needs a token, read-only tools with
/// `mcp:read`, the rest with `mcp:write`.
public enum SecuritySchemes {
    /// The schemes of a tool under Pier's own authorization server.
    public static func oauth(readOnly: Bool) -> JSONValue {
        [["type": "oauth2", "scopes": [.string(Scopes.needed(readOnly: readOnly))]]]
    }

    /// The schemes of a tool on an endpoint where signing in is optional: read-only tools work anonymously too
    /// (`noauth` first), the rest need a token with `mcp:write`.
    public static func optional(readOnly: Bool) -> JSONValue {
        readOnly ? [["type": "noauth"], ["type": "oauth2", "scopes": [.string(Scopes.read)]]] : oauth(readOnly: false)
    }

    /// `descriptor` with its schemes set for `PIER_AUTH=oauth` (whatever the tool declared: the mode decides).
    @Sendable public static func oauth(_ descriptor: JSONObject, readOnly: Bool) -> JSONObject {
        patched(descriptor, oauth(readOnly: readOnly))
    }

    /// `descriptor` with its schemes set for optional sign-in.
    @Sendable public static func optional(_ descriptor: JSONObject, readOnly: Bool) -> JSONObject {
        patched(descriptor, optional(readOnly: readOnly))
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
