public import AsyncHTTPClient
public import NIOCore
import NIOPosix
public import ServiceLifecycle

/// The pooled HTTP client every remote upstream shares, as a service: it is shut down (its connections closed)
/// when Pier stops. Redirects are not followed (an upstream that moves is a configuration change), and each
/// upstream host may hold up to `connectionsPerHost` keep-alive connections, so that calls from many clients at
/// once do not queue behind a few.
public final class UpstreamHTTPClient: Service, Sendable {
    public let client: HTTPClient

    public init(connectionsPerHost: Int = 256, idleTimeout: TimeAmount = .seconds(60)) {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.connectionPool = .init(idleTimeout: idleTimeout, concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerHost)
        configuration.timeout = .init(connect: .seconds(10))
        client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }

    public func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
