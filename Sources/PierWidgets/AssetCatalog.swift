public import Foundation

/// Every asset Pier serves under `/assets/`, by logical name and by hashed name.
public struct AssetCatalog: Sendable {
    private var byName: [String: Asset] = [:]
    private var byHashedName: [String: Asset] = [:]

    public init() {}

    /// A catalog of the given files (logical name → bytes).
    public init(files: [String: [UInt8]]) {
        for (name, bytes) in files { add(Asset(name: name, bytes: bytes)) }
    }

    /// Every regular file under `directory` (hidden files skipped), named by its path inside it.
    /// - Throws: ``WidgetError`` when the folder cannot be read.
    public init(directory: URL) throws(WidgetError) {
        let fm = FileManager.default
        let root = directory.standardizedFileURL.path
        guard let walker = fm.enumerator(atPath: root) else { throw WidgetError("asset folder \(root) cannot be read") }
        for case let relative as String in walker {
            if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            let path = root + "/" + relative
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            guard let data = fm.contents(atPath: path) else { throw WidgetError("asset \(relative) in \(root) cannot be read") }
            add(Asset(name: relative, bytes: [UInt8](data)))
        }
    }

    public mutating func add(_ asset: Asset) {
        if let old = byName[asset.name] { byHashedName[old.hashedName] = nil }
        byName[asset.name] = asset
        byHashedName[asset.hashedName] = asset
    }

    /// This catalog with every asset of `other` added (its assets win on a name clash).
    public func merging(_ other: AssetCatalog) -> AssetCatalog {
        var merged = self
        for asset in other.all { merged.add(asset) }
        return merged
    }

    public subscript(name: String) -> Asset? { byName[name] }
    public func asset(hashedName: String) -> Asset? { byHashedName[hashedName] }
    public var all: [Asset] { byName.values.sorted { $0.name < $1.name } }
    public var count: Int { byName.count }
}
