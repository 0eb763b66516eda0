public import Logging
public import MCPClient
public import MCPCore
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import PierSync

/// A remote upstream over the 2024-11-05 HTTP+SSE transport: a GET event stream that first names, in its
/// `endpoint` event, the URL to POST messages to, and then carries every message from the upstream.
///
/// The stream ending ends ``run(connected:deliver:)``, so the owner reconnects and initialises again.
public final class LegacySSEClientTransport: ClientTransport {
    public let upstream: HTTPUpstream
    private let logger: Logger
    private let endpoint = Locked<String?>(nil)

    public init(upstream: HTTPUpstream, logger: Logger) {
        self.upstream = upstream
        self.logger = logger
    }

    public var label: String { "\(upstream.url) (HTTP+SSE)" }
    public var answersInline: Bool { false }

    public func run(connected: @Sendable () async -> Void, deliver: @escaping @Sendable (JSONRPCMessage) async -> Void) async throws {
        var request = upstream.request(.GET)
        request.headers.add(name: "Accept", value: "text/event-stream")
        let response: HTTPClientResponse
        do {
            response = try await upstream.client.execute(request, deadline: .distantFuture, logger: nil)
        } catch {
            throw HTTPUpstream.failure(error, url: upstream.url)
        }
        guard response.status == .ok else {
            let bytes = (try? await upstream.collect(response)) ?? []
            throw ClientTransportError.status(Int(response.status.code), String(decoding: bytes.prefix(200), as: UTF8.self))
        }
        defer { endpoint.withLock { $0 = nil } }
        do {
            try await upstream.events(response) { event in
                if event.name == "endpoint" {
                    guard let url = Self.resolve(event.data.trimmingSpaces, against: upstream.url) else {
                        throw ClientTransportError.closed("the upstream named an endpoint Pier cannot use")
                    }
                    let first = endpoint.withLock { e -> Bool in
                        defer { e = url }
                        return e == nil
                    }
                    if first { await connected() }
                } else {
                    for message in HTTPUpstream.messages(Array(event.data.utf8)) { await deliver(message) }
                }
            }
        } catch {
            throw HTTPUpstream.failure(error, url: upstream.url)
        }
        throw ClientTransportError.closed("the upstream ended its event stream")
    }

    public func send(_ outbound: Outbound, replies: @escaping @Sendable (JSONRPCMessage) async throws -> Void) async throws {
        guard let url = endpoint.withLock({ $0 }) else { throw ClientTransportError.closed("no message endpoint yet") }
        // The answers come on the event stream; the POST's own body is only an acknowledgement.
        for try await event in try upstream.exchange(outbound, headers: upstream.postHeaders, url: url) {
            guard case .end(let status, _, let body) = event else { continue }
            guard (200..<300).contains(status) else {
                if status == 404 { throw ClientTransportError.closed("the upstream no longer knows the session") }
                throw ClientTransportError.status(status, String(decoding: body.prefix(200), as: UTF8.self))
            }
        }
    }

    public func sessionEstablished(protocolVersion: String) async {}
    public func resetSession() async {}

    /// `reference` (absolute, or a path such as `/messages/?session_id=…`) against the stream's URL.
    static func resolve(_ reference: String, against base: String) -> String? {
        if reference.hasPrefix("http://") || reference.hasPrefix("https://") { return reference }
        guard let schemeEnd = base.firstRange(of: "://") else { return nil }
        let afterScheme = base[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? afterScheme.endIndex
        let origin = base[..<authorityEnd]
        if reference.hasPrefix("/") { return origin + reference }
        let path = base[authorityEnd...].split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
        let directory: String
        if let slash = path.lastIndex(of: "/") { directory = String(path[...slash]) } else { directory = "/" }
        return String(origin) + directory + reference
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}
