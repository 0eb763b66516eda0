import Hummingbird
import HummingbirdTesting
import HTTPTypes
import PierTelemetry
import Testing

/// `/metrics` beyond loopback: only for a request the admin-key check admits.
@Suite struct MetricsEndpointTests {
    func app(_ access: MetricsEndpoint<BasicRequestContext>.Access) -> some ApplicationProtocol {
        PrometheusBackend.bootstrap()
        let router = Router()
        router.add(middleware: HTTPMetricsMiddleware())
        router.get("/things/:id") { _, _ in "thing" }
        MetricsEndpoint(access: access).addRoutes(to: router)
        return Application(router: router)
    }

    @Test func restrictedNeedsTheKey() async throws {
        let access = MetricsEndpoint<BasicRequestContext>.Access.restricted { request, _ in request.headers[.authorization] == "Bearer right" }
        try await app(access).test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { r in
                #expect(r.status == .unauthorized)
                #expect(r.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            }
            try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer wrong"]) { r in #expect(r.status == .unauthorized) }
            try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer right"]) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            }
        }
    }

    @Test func routesAreLabelledByPatternNotPath() async throws {
        try await app(.open).test(.router) { client in
            for id in ["a1", "b2", "c3"] {
                try await client.execute(uri: "/things/\(id)", method: .get) { r in #expect(r.status == .ok) }
            }
            try await client.execute(uri: "/metrics", method: .get) { r in
                let text = String(buffer: r.body)
                #expect(text.contains(#"pier_http_requests_total{method="GET",route="/things/{id}",status="200"}"#))
                #expect(!text.contains("a1"))
            }
        }
    }
}
