import MCPCore

/// What `pier doctor` found, as text for people or JSON for CI.
public struct DoctorReport: Sendable {
    public let url: String
    public let findings: [Finding]

    /// Whether anything stops ChatGPT from using the server (the exit status is then 1).
    public var isBlocked: Bool { findings.contains { $0.level == .blocking } }

    public func count(_ level: Finding.Level) -> Int { findings.filter { $0.level == level }.count }

    public var text: String {
        var lines = ["pier doctor \(url)"]
        for f in findings {
            let mark = switch f.level {
            case .pass: "✔"
            case .info: "·"
            case .warning: "⚠"
            case .blocking: "✘"
            }
            lines.append("  \(mark) \(f.check): \(f.message)")
            if let fix = f.fix, f.level >= .warning { lines.append("      fix: \(fix)") }
        }
        lines.append("")
        lines.append(
            "\(count(.blocking)) blocking, \(count(.warning)) warnings, \(count(.pass)) passed"
                + (isBlocked ? " — ChatGPT cannot use this server until the blocking problems are fixed." : "."))
        return lines.joined(separator: "\n")
    }

    public var json: String {
        let items: [JSONValue] = findings.map { f in
            .object(["check": .string(f.check), "level": .string(f.level.rawValue), "message": .string(f.message), "fix": f.fix.map(JSONValue.string) ?? .null])
        }
        return JSONValue.object([
            "url": .string(url), "blocking": .bool(isBlocked),
            "counts": ["blocking": .int(count(.blocking)), "warning": .int(count(.warning)), "pass": .int(count(.pass)), "info": .int(count(.info))],
            "findings": .array(items),
        ]).serializedString()
    }
}
