import Foundation
import Testing

/// Pier's shared state is behind `PierSync.Locked`, which ThreadSanitizer sees; `Synchronization.Mutex` it does not
/// (on Linux), so one `Mutex` in Sources would make `scripts/sanitizers.sh thread` report false races again.
@Suite struct LockRuleTests {
    @Test func sourcesUseLockedRatherThanMutex() throws {
        let sources = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "../../Sources").standardized
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var offenders: [String] = []
        var swiftFiles = 0
        for case let file as URL in files where file.pathExtension == "swift" {
            swiftFiles += 1
            let text = try String(contentsOf: file, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") && line.contains(/\bMutex\s*[<(]/) {
                offenders.append("\(file.lastPathComponent):\(number + 1): \(line)")
            }
        }
        #expect(swiftFiles > 100)
        #expect(offenders == [])
    }
}
