public import MCPCore

/// One upstream server as the admin API describes it: what to run or reach, and how Pier treats it.
///
/// Servers added through the API are stored as their request body (``body``), so that what was asked is what comes
/// back after a restart; ``parse(_:policy:)`` is the one place that body is checked.
public struct ServerDefinition: Sendable, Equatable {
    public enum Transport: Sendable, Equatable {
        /// A child process: argv only, never a shell.
        case stdio(command: String, arguments: [String], environment: [String: String], workingDirectory: String?)
        /// A remote server over Streamable HTTP (`streamable-http`) or the legacy HTTP+SSE transport (`sse`).
        case remote(url: String, type: String, headers: [String: String])
        /// A Python project cloned from git and installed into a virtualenv; it runs as a stdio server once installed.
        case git(GitSource, command: String?, arguments: [String], environment: [String: String])
    }

    public var name: String
    public var description: String?
    public var transport: Transport
    public var autoRestart = true
    public var enabled = true
    /// `nil`: the server's name.
    public var prefix: String?
    public var timeoutSeconds: Double?
    public var include: [String] = []
    public var exclude: [String] = []

    public init(name: String, transport: Transport) {
        self.name = name
        self.transport = transport
    }

    /// `stdio`, `streamable-http` or `sse`.
    public var transportType: String {
        switch transport {
        case .stdio, .git: "stdio"
        case .remote(_, let type, _): type
        }
    }

    /// The names (never the values) of the variables and headers it sets.
    public var environmentNames: [String] {
        switch transport {
        case .stdio(_, _, let environment, _), .git(_, _, _, let environment): environment.keys.sorted()
        case .remote: []
        }
    }

    public var headerNames: [String] {
        if case .remote(_, _, let headers) = transport { return headers.keys.sorted() }
        return []
    }

    /// The fields a body may have.
    static let knownFields: Set<String> = [
        "name", "description", "transport_type", "command", "args", "env", "cwd", "url", "headers", "auto_restart", "enabled", "prefix",
        "timeout_seconds", "tools", "github_url", "ref", "subdirectory",
    ]

    /// Checks a request body (or a stored one) and reads it.
    /// - Throws: ``AdminError`` 400 naming the field at fault, or 403 for what `policy` forbids.
    public static func parse(_ body: JSONObject, policy: ServerPolicy) throws(AdminError) -> ServerDefinition {
        for key in body.keys where !knownFields.contains(key) {
            throw .invalid(key, "unknown field; the fields are \(knownFields.sorted().joined(separator: ", "))")
        }
        let read = FieldReader(body: body)
        guard let name = try read.string("name") else { throw .invalid("name", "required") }
        guard ServerPolicy.isValidName(name) else { throw .invalid("name", "1–64 characters of A-Z a-z 0-9 _ -") }
        guard name != "from-github" else { throw .invalid("name", "\"from-github\" is reserved (POST /api/v1/servers/from-github)") }
        let type = try read.string("transport_type")
        let transport: Transport
        if let gitURL = try read.string("github_url") {
            guard type == nil || type == "stdio" else { throw .invalid("transport_type", "a server from git runs over stdio") }
            for field in ["url", "headers", "cwd"] where body[field] != nil { throw .invalid(field, "not used for a server installed from git") }
            let source = GitSource(url: gitURL, ref: try read.string("ref"), subdirectory: try read.string("subdirectory"))
            try policy.check(source)
            let command = try read.string("command")
            if let command { try policy.check(command: command, arguments: []) }
            let arguments = try read.strings("args")
            let environment = try read.stringMap("env")
            try policy.check(environment: environment)
            transport = .git(source, command: command, arguments: arguments, environment: environment)
        } else if let command = try read.string("command") {
            guard type == nil || type == "stdio" else { throw .invalid("transport_type", "\"stdio\" (or nothing) for a server with a command") }
            for field in ["url", "headers", "ref", "subdirectory"] where body[field] != nil { throw .invalid(field, "not used for a stdio server") }
            let arguments = try read.strings("args")
            try policy.check(command: command, arguments: arguments)
            let environment = try read.stringMap("env")
            try policy.check(environment: environment)
            let directory = try read.string("cwd")
            if let directory, !directory.hasPrefix("/") { throw .invalid("cwd", "an absolute path") }
            transport = .stdio(command: command, arguments: arguments, environment: environment, workingDirectory: directory)
        } else if let url = try read.string("url") {
            let kind: String
            switch type {
            case nil, "streamable-http"?, "http"?: kind = "streamable-http"
            case "sse"?: kind = "sse"
            case let other?: throw .invalid("transport_type", "one of stdio, streamable-http, sse (got \"\(other)\")")
            }
            for field in ["command", "args", "env", "cwd", "ref", "subdirectory"] where body[field] != nil {
                throw .invalid(field, "not used for a remote server")
            }
            try policy.check(url: url)
            let headers = try read.stringMap("headers")
            try policy.check(headers: headers)
            transport = .remote(url: url, type: kind, headers: headers)
        } else {
            if type == "stdio" { throw .invalid("command", "required for a stdio server") }
            if type != nil { throw .invalid("url", "required for a remote server") }
            throw .invalid(nil, "a server needs a \"command\" (stdio), a \"url\" (remote) or a \"github_url\"")
        }
        var definition = ServerDefinition(name: name, transport: transport)
        if let description = try read.string("description") {
            guard description.count <= 2_000 else { throw .invalid("description", "at most 2000 characters") }
            definition.description = description
        }
        if let restart = try read.bool("auto_restart") { definition.autoRestart = restart }
        if let enabled = try read.bool("enabled") { definition.enabled = enabled }
        if let prefix = try read.string("prefix") {
            guard prefix.isEmpty || ServerPolicy.isValidName(prefix) else { throw .invalid("prefix", "empty, or 1–64 characters of A-Z a-z 0-9 _ -") }
            definition.prefix = prefix
        }
        definition.timeoutSeconds = try read.number("timeout_seconds", in: 0.1...86_400)
        if let tools = body["tools"] {
            guard case .object(let filter) = tools else { throw .invalid("tools", "an object with \"include\" and/or \"exclude\" lists of globs") }
            for key in filter.keys where key != "include" && key != "exclude" { throw .invalid("tools.\(key)", "unknown field; use include or exclude") }
            let globs = FieldReader(body: filter, prefix: "tools.")
            definition.include = try globs.strings("include")
            definition.exclude = try globs.strings("exclude")
        }
        return definition
    }

    /// `stored` with `patch` applied: each member replaces the stored one, and `null` removes it.
    /// - Throws: 400 when the patch renames the server or is not an object of fields.
    public static func merge(_ stored: JSONObject, patch: JSONObject) throws(AdminError) -> JSONObject {
        var merged = stored
        for member in patch {
            if member.key == "name" {
                guard member.value == stored["name"] else { throw .invalid("name", "a server cannot be renamed; delete it and add it under the new name") }
                continue
            }
            // (Spelled out: a bare `nil` here would be `JSONValue.null`, which is a value, not a removal.)
            let replacement: JSONValue? = member.value == .null ? Optional.none : member.value
            merged[member.key] = replacement
        }
        return merged
    }
}

/// Where a server installed from git comes from.
public struct GitSource: Sendable, Equatable {
    /// Any URL the git CLI clones (`https://`, `ssh://`, `file://`).
    public var url: String
    /// A branch, tag or commit; `nil`: the default branch.
    public var ref: String?
    /// The project's folder inside the repository.
    public var subdirectory: String?

    public init(url: String, ref: String? = nil, subdirectory: String? = nil) {
        self.url = url
        self.ref = ref
        self.subdirectory = subdirectory
    }
}

/// Typed reads of a body's fields, naming the field on failure.
struct FieldReader {
    let body: JSONObject
    var prefix = ""

    func string(_ field: String) throws(AdminError) -> String? {
        guard let value = body[field], value != .null else { return nil }
        guard case .string(let text) = value else { throw .invalid(prefix + field, "must be a string") }
        guard !text.utf8.contains(0) else { throw .invalid(prefix + field, "must not contain NUL") }
        return text
    }

    func bool(_ field: String) throws(AdminError) -> Bool? {
        guard let value = body[field], value != .null else { return nil }
        guard case .bool(let flag) = value else { throw .invalid(prefix + field, "must be true or false") }
        return flag
    }

    func number(_ field: String, in range: ClosedRange<Double>) throws(AdminError) -> Double? {
        guard let value = body[field], value != .null else { return nil }
        guard let number = value.doubleValue, range.contains(number) else {
            throw .invalid(prefix + field, "must be a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    func strings(_ field: String, limit: Int = 256) throws(AdminError) -> [String] {
        guard let value = body[field], value != .null else { return [] }
        guard case .array(let items) = value else { throw .invalid(prefix + field, "must be a list of strings") }
        guard items.count <= limit else { throw .invalid(prefix + field, "at most \(limit) items") }
        var out: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let text) = item, !text.utf8.contains(0) else { throw .invalid("\(prefix)\(field)[\(index)]", "must be a string without NUL") }
            out.append(text)
        }
        return out
    }

    func stringMap(_ field: String, limit: Int = 256) throws(AdminError) -> [String: String] {
        guard let value = body[field], value != .null else { return [:] }
        guard case .object(let members) = value else { throw .invalid(prefix + field, "must be an object of strings") }
        guard members.count <= limit else { throw .invalid(prefix + field, "at most \(limit) entries") }
        var out: [String: String] = [:]
        for member in members {
            guard case .string(let text) = member.value, !text.utf8.contains(0) else {
                throw .invalid("\(prefix)\(field).\(member.key)", "must be a string without NUL")
            }
            out[member.key] = text
        }
        return out
    }
}
