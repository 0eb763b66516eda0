import HTTPTypes
import PierHTTP
public import Hummingbird

/// The URL a browser reached Pier at: `BASE_URL` when it is set, else the request's own scheme and host (the
/// forwarded ones only from a proxy Pier trusts).
public struct PublicURL: Sendable {
    let baseURL: String?
    let trustForwarded: Bool

    /// - Parameters:
    ///   - baseURL: `BASE_URL` without a trailing slash, or `nil`.
    ///   - trustForwarded: whether `X-Forwarded-Proto` and `X-Forwarded-Host` come from a trusted proxy.
    public init(baseURL: String?, trustForwarded: Bool) {
        self.baseURL = baseURL
        self.trustForwarded = trustForwarded
    }

    /// The origin (scheme and host, no path) that `request` names Pier by.
    public func base(for request: Request) -> String {
        if let baseURL { return baseURL }
        var scheme = "http"
        var host = request.head.authority ?? "127.0.0.1"
        if trustForwarded {
            if let proto = Forwarded.first(request.headers[HTTPField.Name("X-Forwarded-Proto")!]), proto == "https" || proto == "http" { scheme = proto }
            if let forwarded = Forwarded.first(request.headers[HTTPField.Name("X-Forwarded-Host")!]) { host = forwarded }
        }
        return "\(scheme)://\(host)"
    }
}
