import HTTPTypes

/// What a server added through the API may run. Creating a stdio server is remote code execution by design, so the
/// API takes argv only (never a shell line), can be held to an allowlist of programs, and may not set variables
/// that change how programs load or where they are found.
public struct ServerPolicy: Sendable {
    /// Program names or paths a stdio server may run (`PIER_ALLOWED_COMMANDS`); `nil`: any.
    public var allowedCommands: [String]?
    /// Variables allowed although the denylist names them (`PIER_ALLOWED_ENV`).
    public var allowedEnvironment: Set<String> = []
    /// Variables the child-process layer refuses (`LD_PRELOAD`, `DYLD_*`, `NODE_OPTIONS`, …).
    public var refusedEnvironment: @Sendable (String) -> Bool = { _ in false }

    public init(allowedCommands: [String]? = nil, allowedEnvironment: Set<String> = [], refusedEnvironment: @escaping @Sendable (String) -> Bool = { _ in false }) {
        self.allowedCommands = allowedCommands
        self.allowedEnvironment = allowedEnvironment
        self.refusedEnvironment = refusedEnvironment
    }

    /// Variables that redirect where programs and libraries are found.
    public static let searchPathVariables: Set<String> = ["PATH", "PYTHONPATH", "PYTHONHOME", "NODE_PATH", "RUBYLIB", "PERL5LIB", "CLASSPATH", "GIT_EXEC_PATH"]

    /// Shells: given `-c` they run a command line, which is what argv-only is meant to rule out.
    static let shells: Set<String> = ["sh", "bash", "dash", "zsh", "ksh", "mksh", "fish", "csh", "tcsh", "ash", "busybox", "cmd", "cmd.exe", "powershell", "pwsh"]

    /// Characters that only mean something to a shell (checked as Unicode scalars: `"\r\n"` is one `Character`).
    static let shellCharacters: Set<Unicode.Scalar> = [";", "&", "|", "$", "`", "<", ">", "(", ")", "\n", "\r", "*", "?", "\"", "'", "\\", " ", "\t"]

    /// `true` when `text` holds a line break.
    static func hasLineBreak(_ text: String) -> Bool { text.unicodeScalars.contains { $0 == "\n" || $0 == "\r" } }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
    }

    /// The last path component of `command`.
    static func baseName(_ command: String) -> String { String(command.split(separator: "/").last ?? Substring(command)) }

    func check(command: String, arguments: [String]) throws(AdminError) {
        guard !command.isEmpty, command.count <= 4_096 else { throw .invalid("command", "a program name or path") }
        if command.unicodeScalars.contains(where: { Self.shellCharacters.contains($0) }) {
            throw .invalid("command", "a program name or path, run without a shell: put its arguments in \"args\"")
        }
        let base = Self.baseName(command)
        if let allowed = allowedCommands {
            guard allowed.contains(command) || allowed.contains(base) else {
                throw AdminError(
                    status: .forbidden, code: "forbidden", message: "\"\(command)\" is not among the commands this Pier allows (PIER_ALLOWED_COMMANDS)",
                    field: "command")
            }
        } else if Self.shells.contains(base), arguments.contains(where: { $0.hasPrefix("-") && !$0.hasPrefix("--") && $0.contains("c") }) {
            throw .invalid("args", "a shell given -c runs a command line; run the program itself with its arguments in \"args\"")
        }
    }

    func check(environment: [String: String]) throws(AdminError) {
        for name in environment.keys.sorted() {
            guard Self.isVariableName(name) else { throw .invalid("env.\(name)", "not a variable name (A-Z a-z 0-9 _, not starting with a digit)") }
            guard !allowedEnvironment.contains(name) else { continue }
            if refusedEnvironment(name) || name.hasPrefix("DYLD_") || name.hasPrefix("LD_") {
                throw AdminError(
                    status: .forbidden, code: "forbidden", message: "\(name) changes how every program loads and may not be set", field: "env.\(name)")
            }
            if Self.searchPathVariables.contains(name) {
                throw AdminError(
                    status: .forbidden, code: "forbidden",
                    message: "\(name) changes where programs are found and may not be set unless PIER_ALLOWED_ENV names it", field: "env.\(name)")
            }
        }
    }

    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first), name.count <= 256 else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    func check(url: String) throws(AdminError) {
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else { throw .invalid("url", "an http or https URL") }
        let rest = lower.drop { $0 != "/" }.dropFirst(2)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@").last.map { hostPart in
            hostPart.hasPrefix("[") ? String(hostPart.prefix { $0 != "]" }) + "]" : String(hostPart.split(separator: ":").first ?? "")
        } ?? ""
        guard !host.isEmpty, !url.unicodeScalars.contains(where: { $0 == " " }), !Self.hasLineBreak(url) else { throw .invalid("url", "an http or https URL with a host") }
        // Cloud metadata endpoints are never an MCP server (checked again where the gateway connects is issue 14's).
        if host == "169.254.169.254" || host == "metadata.google.internal" || host == "[fd00:ec2::254]" {
            throw AdminError(status: .forbidden, code: "forbidden", message: "a cloud metadata address is not an upstream", field: "url")
        }
    }

    func check(headers: [String: String]) throws(AdminError) {
        for (name, value) in headers {
            guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 32 && $0 != ":" && $0.value < 127 }) else {
                throw .invalid("headers.\(name)", "not an HTTP header name")
            }
            guard !Self.hasLineBreak(value) else { throw .invalid("headers.\(name)", "a header value cannot hold a line break") }
        }
    }

    func check(_ source: GitSource) throws(AdminError) {
        guard !source.url.isEmpty, !source.url.hasPrefix("-"), !Self.hasLineBreak(source.url), !source.url.unicodeScalars.contains(" ") else {
            throw .invalid("github_url", "a git URL (https://, ssh:// or file://)")
        }
        let lower = source.url.lowercased()
        guard ["https://", "http://", "ssh://", "git://", "file://"].contains(where: { lower.hasPrefix($0) }) || lower.hasPrefix("git@") else {
            throw .invalid("github_url", "a git URL (https://, ssh:// or file://)")
        }
        if lower.hasPrefix("ext::") || lower.contains("::") { throw .invalid("github_url", "a git URL (https://, ssh:// or file://)") }
        if let ref = source.ref {
            guard !ref.isEmpty, !ref.hasPrefix("-"), ref.count <= 256, !ref.contains(".."),
                ref.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 32 && !"~^:?*[\\".unicodeScalars.contains($0) })
            else { throw .invalid("ref", "a branch, tag or commit") }
        }
        if let directory = source.subdirectory {
            let parts = directory.split(separator: "/")
            guard !directory.hasPrefix("/"), !parts.contains(".."), !directory.contains("\0"), directory.count <= 1_024 else {
                throw .invalid("subdirectory", "a relative path inside the repository")
            }
        }
    }
}
