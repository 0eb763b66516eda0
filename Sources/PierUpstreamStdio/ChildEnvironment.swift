/// The environment a child process gets: a short allowlist of Pier's own variables plus what its entry declares,
/// never Pier's whole environment (which holds `PIER_SECRET`, `DATABASE_URL` and keys).
public enum ChildEnvironment {
    /// Variables passed on from Pier's environment when set.
    public static let inherited = ["PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ", "USER", "LOGNAME", "SHELL", "TERM", "SYSTEMROOT"]

    /// Variables an entry may not set: they change how every program loads or runs.
    public static let refused = ["LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "NODE_OPTIONS", "PYTHONSTARTUP", "BASH_ENV", "ENV", "PERL5OPT"]

    /// `true` when `name` may not be set for a child (`refused`, or a `DYLD_` variable).
    public static func isRefused(_ name: String) -> Bool { refused.contains(name) || name.hasPrefix("DYLD_") }

    /// The allowlisted part of `parent`, with `declared` on top.
    public static func build(declared: [String: String], parent: [String: String]) -> [String: String] {
        var env: [String: String] = [:]
        for name in inherited { if let value = parent[name] { env[name] = value } }
        if env["PATH"] == nil { env["PATH"] = "/usr/local/bin:/usr/bin:/bin" }
        for (name, value) in declared where !isRefused(name) { env[name] = value }
        return env
    }
}
