import Hummingbird
import MCPCore
import Testing

@testable import PierAdminAPI

/// The OpenAPI document describes exactly the routes the API serves, and every operation documents 401.
@Suite struct OpenAPIDocumentTests {
    var document: JSONObject {
        guard case .object(let object)? = try? JSONValue(parsing: OpenAPIDocument.bytes) else { return [:] }
        return object
    }

    @Test func itIsOpenAPI31() {
        #expect(document["openapi"]?.stringValue == "3.1.0")
        #expect(document["components"]?["securitySchemes"]?["bearer"]?["scheme"] == "bearer")
    }

    @Test func theDocumentAndTheRoutesAgree() {
        var documented: Set<AdminAPI.Route> = []
        for path in document["paths"]?.objectValue ?? [:] {
            for operation in path.value.objectValue ?? [:] {
                guard let method = HTTPRequest.Method(operation.key.uppercased()) else { continue }
                documented.insert(AdminAPI.Route(method: method, path: path.key))
            }
        }
        let served = Set(AdminAPI.routes)
        #expect(served.count == AdminAPI.routes.count, "no route is registered twice")
        #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served))")
        #expect(served.subtracting(documented).isEmpty, "served but not documented: \(served.subtracting(documented))")
    }

    @Test func everyOperationDocumentsRefusals() {
        for path in document["paths"]?.objectValue ?? [:] {
            for operation in path.value.objectValue ?? [:] {
                let responses = operation.value["responses"]?.objectValue
                #expect(responses?["401"] != nil && responses?["429"] != nil, "\(operation.key) \(path.key)")
                #expect(operation.value["operationId"]?.stringValue != nil)
            }
        }
    }

    @Test func otherMethodsOfAKnownPathAreListed() {
        #expect(AdminAPI.methods(for: "/api/v1/servers/from-github") == [.post])
        #expect(Set(AdminAPI.methods(for: "/api/v1/servers/time")) == [.get, .patch, .delete])
        #expect(AdminAPI.methods(for: "/api/v1/nothing").isEmpty)
    }
}
