import Foundation

/// The OpenAPI 3.1 document of the admin API (`Resources/openapi.json`, kept in the repository and checked against
/// ``AdminAPI/routes`` by a test).
public enum OpenAPIDocument {
    /// The document's bytes.
    public static let bytes: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"), let data = try? Data(contentsOf: url) else { return Array("{}".utf8) }
        return Array(data)
    }()
}
