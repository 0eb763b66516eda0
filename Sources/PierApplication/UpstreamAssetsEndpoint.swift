import HTTPTypes
public import Hummingbird
import NIOCore
public import PierUpstreamHTTP

/// Serves upstreams' widget assets under Pier's origin: `GET /upstreams/<name>/<path>` fetches `<path>` from
/// that upstream's `assets` origin (see ``AssetProxy``), passing its caching headers on. Sandboxed widget frames
/// load these with `Origin: null`, so they answer any origin, as `/assets/` does.
public struct UpstreamAssetsEndpoint: Sendable {
    public let proxies: [String: AssetProxy]

    public init(proxies: [String: AssetProxy]) {
        self.proxies = proxies
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        guard !proxies.isEmpty else { return }
        router.get("/upstreams/:name/**") { request, context in
            await self.serve(request, name: context.parameters.get("name") ?? "", path: context.parameters.getCatchAll())
        }
    }

    func serve(_ request: Request, name: String, path: [Substring]) async -> Response {
        guard let proxy = proxies[name] else { return Self.plain(.notFound, "No such upstream\n") }
        var target = "/" + path.joined(separator: "/")
        if let query = request.uri.query, !query.isEmpty { target += "?" + query }
        do {
            let asset = try await proxy.fetch(
                path: target, ifNoneMatch: request.headers[.ifNoneMatch], ifModifiedSince: request.headers[.ifModifiedSince])
            var headers: HTTPFields = [.accessControlAllowOrigin: "*", .xContentTypeOptions: "nosniff"]
            for header in asset.headers { if let field = HTTPField.Name(header.name) { headers[field] = header.value } }
            headers[.contentLength] = String(asset.body.readableBytes)
            return Response(status: HTTPResponse.Status(code: asset.status), headers: headers, body: .init(byteBuffer: asset.body))
        } catch {
            return Self.plain(.badGateway, "The upstream's assets are not reachable now\n")
        }
    }

    static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
