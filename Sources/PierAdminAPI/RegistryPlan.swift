public import PierStore

/// What to do to bring the running servers in line with the registry: a pure function of what is applied and what
/// is stored, so that every instance reading the same store converges on the same servers.
public enum RegistryPlan {
    /// The id and revision of a record as applied.
    public struct Applied: Sendable, Equatable {
        public var id: String
        public var revision: Int64

        public init(id: String, revision: Int64) {
            self.id = id
            self.revision = revision
        }
    }

    public enum Action: Sendable, Equatable {
        /// Stored and not running here (or changed): apply the record.
        case apply(UpstreamServerRecord)
        /// Running here and no longer stored.
        case remove(String)
    }

    /// The actions, removals first; records whose name the config file holds (`reserved`) are left alone.
    public static func actions(applied: [String: Applied], stored: [UpstreamServerRecord], reserved: Set<String>) -> [Action] {
        let wanted = stored.filter { !reserved.contains($0.name) }
        let names = Set(wanted.map(\.name))
        var actions: [Action] = applied.keys.sorted().filter { !names.contains($0) }.map { .remove($0) }
        for record in wanted.sorted(by: { $0.name < $1.name }) where applied[record.name] != Applied(id: record.id, revision: record.revision) {
            actions.append(.apply(record))
        }
        return actions
    }
}
