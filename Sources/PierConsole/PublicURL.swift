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
    ///   - trustForwarded: whether `Forwarded` (or `X-Forwarded-Proto` and `X-Forwarded-Host`) come from a trusted proxy.
    public init(baseURL: String?, trustForwarded: Bool) {
        self.baseURL = baseURL
        self.trustForwarded = trustForwarded
    }

    /// The origin (scheme and host, no path) that `request` names Pier by.
    public func base(for request: Request) -> String {
        if let baseURL { return baseURL }
        let scheme = Forwarded.scheme(request, trusted: trustForwarded) ?? "http"
        let host = Forwarded.host(request, trusted: trustForwarded) ?? request.head.authority ?? "127.0.0.1"
        return "\(scheme)://\(host)"
    }
}
