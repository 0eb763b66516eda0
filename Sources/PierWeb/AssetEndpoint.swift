import Foundation
import CompressNIO
public import Hummingbird
import HTTPTypes
import NIOCore
public import PierWidgets

/// Serves `GET /assets/<name>-<hash>.<ext>`: immutable, content-typed, open to any origin (widgets load them from
/// a sandboxed frame), with an `ETag` and a gzip variant made once at start-up where it saves bytes.
public struct AssetEndpoint: Sendable {
    struct Prepared: Sendable {
        let asset: Asset
        let body: ByteBuffer
        let gzipped: ByteBuffer?
    }

    let path: String
    let prepared: [String: Prepared]

    public init(catalog: AssetCatalog, path: String = "/assets") {
        self.path = path
        var prepared: [String: Prepared] = [:]
        for asset in catalog.all {
            let body = ByteBuffer(bytes: asset.bytes)
            var gzipped: ByteBuffer?
            if asset.isCompressible, asset.bytes.count > 256 {
                var input = body
                if let compressed = try? input.compress(with: .gzip()), compressed.readableBytes < body.readableBytes * 9 / 10 { gzipped = compressed }
            }
            prepared[asset.hashedName] = Prepared(asset: asset, body: body, gzipped: gzipped)
        }
        self.prepared = prepared
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get(RouterPath(path + "/:file")) { request, context in
            self.serve(request, file: context.parameters.get("file") ?? "")
        }
    }

    func serve(_ request: Request, file: String) -> Response {
        guard let item = prepared[file] else {
            return Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "No such asset\n")))
        }
        var headers: HTTPFields = [
            .contentType: item.asset.contentType, .cacheControl: "public, max-age=31536000, immutable", .eTag: item.asset.etag,
            .accessControlAllowOrigin: "*", .xContentTypeOptions: "nosniff",
        ]
        if item.gzipped != nil { headers[.vary] = "Accept-Encoding" }
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == item.asset.etag || $0 == "*" }) {
            return Response(status: .notModified, headers: headers)
        }
        if let gzipped = item.gzipped, request.headers[values: .acceptEncoding].contains(where: { $0.lowercased().contains("gzip") }) {
            headers[.contentEncoding] = "gzip"
            headers[.contentLength] = String(gzipped.readableBytes)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: gzipped))
        }
        headers[.contentLength] = String(item.body.readableBytes)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: item.body))
    }
}
