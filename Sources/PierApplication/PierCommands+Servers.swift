import MCPCore
import NIOHTTP1
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `pier servers …`: the admin API's server operations against a running Pier.
public struct ServersCommand: Sendable {
    /// Pier's URL (`--url`, else `PIER_URL`, else `http://127.0.0.1:8080`).
    public var url: String
    /// The admin key (`PIER_ADMIN_API_KEY`).
    public var key: String?
    /// Print the API's JSON instead of a table.
    public var json: Bool

    public init(url: String, key: String?, json: Bool) {
        self.url = url
        self.key = key
        self.json = json
    }

    /// `--url`, else `PIER_URL`, else `http://127.0.0.1:8080`; the key from `PIER_ADMIN_API_KEY`.
    public static func fromEnvironment(url: String?, json: Bool) -> ServersCommand {
        let environment = ProcessInfo.processInfo.environment
        return ServersCommand(url: url ?? environment["PIER_URL"] ?? "http://127.0.0.1:8080", key: environment["PIER_ADMIN_API_KEY"], json: json)
    }

    /// What `pier servers add` was given.
    public struct AddRequest: Sendable {
        public var name: String
        public var command: String?
        public var arguments: [String]
        /// `NAME=VALUE` items.
        public var environment: [String]
        public var serverURL: String?
        public var transport: String?
        /// `NAME=VALUE` items.
        public var headers: [String]
        public var github: String?
        public var ref: String?
        public var subdirectory: String?
        public var description: String?

        public init(
            name: String, command: String?, arguments: [String], environment: [String], serverURL: String?, transport: String?, headers: [String],
            github: String?, ref: String?, subdirectory: String?, description: String?
        ) {
            self.name = name
            self.command = command
            self.arguments = arguments
            self.environment = environment
            self.serverURL = serverURL
            self.transport = transport
            self.headers = headers
            self.github = github
            self.ref = ref
            self.subdirectory = subdirectory
            self.description = description
        }

        /// The API body.
        func body() throws(StartupError) -> JSONObject {
            var body: JSONObject = ["name": .string(name)]
            if let command { body["command"] = .string(command) }
            if !arguments.isEmpty { body["args"] = .array(arguments.map(JSONValue.string)) }
            if !environment.isEmpty { body["env"] = .object(try Self.pairs(environment, "--env")) }
            if let serverURL { body["url"] = .string(serverURL) }
            if let transport { body["transport_type"] = .string(transport) }
            if !headers.isEmpty { body["headers"] = .object(try Self.pairs(headers, "--header")) }
            if let github { body["github_url"] = .string(github) }
            if let ref { body["ref"] = .string(ref) }
            if let subdirectory { body["subdirectory"] = .string(subdirectory) }
            if let description { body["description"] = .string(description) }
            return body
        }

        static func pairs(_ items: [String], _ flag: String) throws(StartupError) -> JSONObject {
            var out = JSONObject()
            for item in items {
                guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                    throw StartupError.configuration("\(flag) takes NAME=VALUE, got \"\(item)\"")
                }
                out[String(item[..<equals])] = .string(String(item[item.index(after: equals)...]))
            }
            return out
        }
    }

    var client: AdminClient { AdminClient(baseURL: url, key: key) }

    static func path(_ name: String) -> String {
        "/api/v1/servers/" + String(name.unicodeScalars.map { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_".unicodeScalars.contains($0) ? String($0) : "%" + String($0.value, radix: 16, uppercase: true) }.joined())
    }

    /// Every server, as a table (or JSON).
    public func list() async throws(StartupError) -> String {
        let answer = try await client.send(.GET, "/api/v1/servers")
        if json { return answer.body.serializedString() }
        let servers = answer.body["servers"]?.arrayValue ?? []
        var rows = [["NAME", "STATUS", "SOURCE", "TRANSPORT", "TOOLS", "RESTARTS", "LAST ERROR"]]
        for s in servers {
            rows.append([
                s["name"]?.stringValue ?? "", s["status"]?.stringValue ?? "", s["source"]?.stringValue ?? "", s["transport_type"]?.stringValue ?? "",
                "\(s["tools"]?.intValue ?? 0)", "\(s["restarts"]?.intValue ?? 0)", String((s["last_error"]?.stringValue ?? "").prefix(60)),
            ])
        }
        return servers.isEmpty ? "no servers" : TextTable.render(rows)
    }

    /// Adds a server from an API body (`POST /api/v1/servers`, or `/from-github` for a body with `github_url`).
    public func add(_ request: AddRequest) async throws(StartupError) -> String {
        let body = try request.body()
        let path = body["github_url"] != nil ? "/api/v1/servers/from-github" : "/api/v1/servers"
        return describe(try await client.send(.POST, path, body: .object(body)).body, verb: "added")
    }

    /// `start`, `stop` or `restart`.
    public func act(_ action: String, _ name: String) async throws(StartupError) -> String {
        describe(try await client.send(.POST, Self.path(name) + "/" + action).body, verb: action == "stop" ? "stopped" : action + "ed")
    }

    public func remove(_ name: String) async throws(StartupError) -> String {
        _ = try await client.send(.DELETE, Self.path(name))
        return json ? "{}" : "removed \(name)"
    }

    /// The server's events and stderr, oldest first.
    public func logs(_ name: String, lines: Int) async throws(StartupError) -> String {
        let answer = try await client.send(.GET, Self.path(name) + "/logs?lines=\(lines)")
        if json { return answer.body.serializedString() }
        var out: [String] = []
        for event in answer.body["events"]?.arrayValue ?? [] {
            out.append("\(event["at"]?.stringValue ?? "") \(event["level"]?.stringValue ?? "") \(event["message"]?.stringValue ?? "")")
        }
        let stderr = answer.body["stderr"]?.arrayValue ?? []
        if !stderr.isEmpty {
            out.append("--- stderr ---")
            out += stderr.compactMap(\.stringValue)
        }
        return out.isEmpty ? "no log lines" : out.joined(separator: "\n")
    }

    func describe(_ server: JSONValue, verb: String) -> String {
        if json { return server.serializedString() }
        let name = server["name"]?.stringValue ?? "?"
        let status = server["status"]?.stringValue ?? "?"
        return "\(verb) \(name): \(status)"
    }
}
