import AsyncHTTPClient
import NIOCore
import NIOHTTP1
public import PierAuth

/// Fetches an external identity provider's metadata and key set: URLs the operator configured (an IdP on the
/// LAN is normal), so no address policy, but a size cap and a deadline (10 s) all the same.
public struct ProviderFetcher: MetadataFetcher {
    let client: HTTPClient
    let timeout: TimeAmount

    public init() {
        self.client = HTTPClient.shared
        self.timeout = .seconds(10)
    }

    public func fetch(_ url: String, limit: Int) async throws(OAuthError) -> FetchedDocument {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        do {
            let response = try await client.execute(request, timeout: timeout)
            guard response.status == .ok else { throw OAuthError.temporarilyUnavailable("the identity provider answered HTTP \(response.status.code) for \(url)") }
            let body = try await response.body.collect(upTo: limit)
            return FetchedDocument(body: Array(body.readableBytesView), maxAge: DocumentCollector.maxAge(response.headers["Cache-Control"]))
        } catch let error as OAuthError {
            throw error
        } catch {
            throw .temporarilyUnavailable("the identity provider cannot be reached at \(url)")
        }
    }
}
