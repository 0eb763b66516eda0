/// The MCP protocol revisions Pier speaks.
///
/// Revisions up to 2025-11-25 are *legacy*: they begin with `initialize`. 2026-07-28 and later are *modern*:
/// every request carries its own version and capabilities in `_meta`, and there are no sessions.
public enum ProtocolVersion: String, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    case v2024_11_05 = "2024-11-05"
    case v2025_03_26 = "2025-03-26"
    case v2025_06_18 = "2025-06-18"
    case v2025_11_25 = "2025-11-25"
    case v2026_07_28 = "2026-07-28"

    /// Every revision, oldest first.
    public static let allSupported: [ProtocolVersion] = allCases
    /// The legacy revisions, oldest first.
    public static let legacy: [ProtocolVersion] = allCases.filter { !$0.isModern }
    /// The modern revisions, oldest first.
    public static let modern: [ProtocolVersion] = allCases.filter(\.isModern)
    /// The newest legacy revision, offered when a client asks `initialize` for one Pier does not know.
    public static let latestLegacy: ProtocolVersion = .v2025_11_25
    /// The newest revision.
    public static let latest: ProtocolVersion = .v2026_07_28
    /// What a legacy HTTP request without `MCP-Protocol-Version` is taken to speak (spec: assume 2025-03-26).
    public static let assumedWithoutHeader: ProtocolVersion = .v2025_03_26

    /// `true` for the stateless revisions (2026-07-28 and later).
    public var isModern: Bool { self >= .v2026_07_28 }

    /// `true` where JSON-RPC batches are allowed (only 2025-03-26).
    public var allowsBatches: Bool { self == .v2025_03_26 }

    /// The version a server answers to `initialize` with: the requested one when Pier supports it as a
    /// legacy revision, else the newest legacy revision.
    public static func negotiateLegacy(requested: String?) -> ProtocolVersion {
        if let requested, let v = ProtocolVersion(rawValue: requested), !v.isModern { return v }
        return latestLegacy
    }

    public static func < (lhs: ProtocolVersion, rhs: ProtocolVersion) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }
}
