import Foundation

/// Numbers for people: `1.2 ms`, `3h 04m`.
enum Figures {
    static func milliseconds(_ value: Double) -> String {
        value >= 100 ? String(format: "%.0f ms", value) : String(format: "%.1f ms", value)
    }

    static func uptime(_ seconds: Int?) -> String {
        guard let seconds else { return "—" }
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m \(String(format: "%02d", seconds % 60))s" }
        if seconds < 86_400 { return "\(seconds / 3600)h \(String(format: "%02d", (seconds % 3600) / 60))m" }
        return "\(seconds / 86_400)d \(String(format: "%02d", (seconds % 86_400) / 3600))h"
    }

    static func percent(_ part: Int, of whole: Int) -> String {
        whole == 0 ? "—" : String(format: "%.1f %%", Double(part) * 100 / Double(whole))
    }
}
