/// Small byte-level helpers for reading header values (no Foundation: the header fuzz target builds on them).
extension String.UTF8View {
    /// Case-insensitive search for an ASCII needle over the string's own bytes, without the generic string machinery.
    func containsASCII(_ needle: StaticString) -> Bool {
        let n = needle.utf8CodeUnitCount
        guard n > 0 else { return false }
        let pattern = needle.utf8Start
        func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }
        let search = { (bytes: UnsafeBufferPointer<UInt8>) -> Bool in
            guard bytes.count >= n else { return false }
            var i = 0
            while i + n <= bytes.count {
                var j = 0
                while j < n, lower(bytes[i + j]) == pattern[j] { j += 1 }
                if j == n { return true }
                i += 1
            }
            return false
        }
        if let found = withContiguousStorageIfAvailable(search) { return found }
        return Array(self).withUnsafeBufferPointer(search)
    }
}

extension Substring {
    /// The text without leading and trailing characters from `characters`.
    func trimmingCharacters(_ characters: String) -> String {
        String(drop { characters.contains($0) }.reversed().drop { characters.contains($0) }.reversed())
    }
}
