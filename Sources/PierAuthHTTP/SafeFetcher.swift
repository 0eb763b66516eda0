#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
public import PierAuth

/// Fetches the small https documents the authorization server needs from the internet (a client's metadata
/// document, its key set) without letting the URL steer Pier at its own network: https only, every resolved
/// address checked by ``AddressPolicy`` and the socket connected to exactly that address (and checked again
/// once connected), so DNS rebinding cannot slip past; no redirect followed; at most `limit` bytes; one
/// deadline (5 s) for the whole fetch.
public struct SafeFetcher: MetadataFetcher {
    public struct Settings: Sendable {
        public var policy: AddressPolicy
        public var timeout: Duration
        /// A PEM file of trust roots to use instead of the system's (a test's own CA).
        public var trustRootsFile: String?

        public init(policy: AddressPolicy = AddressPolicy(), timeout: Duration = .seconds(5), trustRootsFile: String? = nil) {
            self.policy = policy
            self.timeout = timeout
            self.trustRootsFile = trustRootsFile
        }
    }

    let settings: Settings
    let tls: NIOSSLContext
    let group: any EventLoopGroup

    /// - Throws: when the trust roots cannot be read.
    public init(settings: Settings = Settings()) throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let file = settings.trustRootsFile { configuration.trustRoots = .file(file) }
        configuration.minimumTLSVersion = .tlsv12
        self.tls = try NIOSSLContext(configuration: configuration)
        self.settings = settings
        self.group = MultiThreadedEventLoopGroup.singleton
    }

    public func fetch(_ url: String, limit: Int) async throws(OAuthError) -> FetchedDocument {
        let target = try ClientMetadataDocument.checkedURL(url)
        let deadline = NIODeadline.now() + TimeAmount(settings.timeout)
        let addresses = try await checkedAddresses(target.host, port: target.port)
        do {
            return try await get(addresses, host: target.host, port: target.port, path: target.path, limit: limit, deadline: deadline)
        } catch let error as OAuthError {
            throw error
        } catch {
            throw Self.refused("it could not be fetched (\(Self.reason(error)))")
        }
    }

    static func refused(_ why: String) -> OAuthError { .invalidClient("the client's document at that URL is refused: \(why)") }

    static func reason(_ error: any Error) -> String {
        switch error {
        case is NIOSSLError, is BoringSSLError: "the TLS handshake failed"
        case ChannelError.connectTimeout: "the connection timed out"
        default: "the connection failed"
        }
    }

    /// The addresses to try, in order: every address the host resolves to must be allowed (one refused
    /// address refuses the host, so a name cannot mix a public and a private answer).
    func checkedAddresses(_ host: String, port: Int) async throws(OAuthError) -> [SocketAddress] {
        let addresses: [(SocketAddress, [UInt8])]
        if let literal = AddressPolicy.literal(host) {
            guard let address = Self.socketAddress(literal, port: port) else { throw Self.refused("its address cannot be used") }
            addresses = [(address, literal)]
        } else {
            do {
                addresses = try await NIOThreadPool.singleton.runIfActive { Self.resolve(host, port: port) }
            } catch {
                throw Self.refused("its host could not be resolved")
            }
        }
        guard !addresses.isEmpty else { throw Self.refused("its host could not be resolved") }
        for (_, bytes) in addresses {
            if let why = settings.policy.refusal(bytes) { throw Self.refused("its host is \(why)") }
        }
        return addresses.map(\.0)
    }

    /// getaddrinfo's TCP addresses for `host`, with their raw bytes.
    static func resolve(_ host: String, port: Int) -> [(SocketAddress, [UInt8])] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Darwin)
        hints.ai_socktype = SOCK_STREAM
        #else
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let head = list else { return [] }
        defer { freeaddrinfo(head) }
        var found: [(SocketAddress, [UInt8])] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = head
        while let entry = cursor, found.count < 32 {
            if let raw = entry.pointee.ai_addr {
                switch entry.pointee.ai_family {
                case AF_INET:
                    let address = SocketAddress(raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }, host: host)
                    found.append((address, bytes(of: address) ?? []))
                case AF_INET6:
                    let address = SocketAddress(raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee }, host: host)
                    found.append((address, bytes(of: address) ?? []))
                default: break
                }
            }
            cursor = entry.pointee.ai_next
        }
        return found
    }

    static func socketAddress(_ bytes: [UInt8], port: Int) -> SocketAddress? {
        if bytes.count == 4 { return try? SocketAddress(ipAddress: bytes.map(String.init).joined(separator: "."), port: port) }
        var groups: [String] = []
        for index in stride(from: 0, to: 16, by: 2) { groups.append(String(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]), radix: 16)) }
        return try? SocketAddress(ipAddress: groups.joined(separator: ":"), port: port)
    }

    /// The raw bytes of an IP socket address (a connected socket's peer, a resolved address).
    static func bytes(of address: SocketAddress?) -> [UInt8]? {
        guard let text = address?.ipAddress else { return nil }
        return AddressPolicy.literal(text)
    }

    func get(_ addresses: [SocketAddress], host: String, port: Int, path: String, limit: Int, deadline: NIODeadline) async throws -> FetchedDocument {
        let loop = group.next()
        let tls = self.tls
        let serverName = AddressPolicy.literal(host) == nil ? host : nil
        var connected: (channel: any Channel, promise: EventLoopPromise<FetchedDocument>)?
        for (index, address) in addresses.enumerated() {
            // Each attempt has its own promise: a failed connection's handler must not answer for the next one.
            let promise = loop.makePromise(of: FetchedDocument.self)
            do {
                let channel = try await ClientBootstrap(group: loop)
                    .connectTimeout(max(TimeAmount.milliseconds(1), deadline - .now()))
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            let sync = channel.pipeline.syncOperations
                            try sync.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                            try sync.addHTTPClientHandlers()
                            try sync.addHandler(DocumentCollector(promise: promise, limit: limit))
                        }
                    }
                    .connect(to: address).get()
                connected = (channel, promise)
                break
            } catch where index < addresses.count - 1 && deadline > .now() {
                promise.fail(CancellationError())
                continue  // the next address the host resolved to (an IPv6 one may not answer where IPv4 does)
            } catch {
                promise.fail(CancellationError())
                throw error
            }
        }
        guard let (channel, promise) = connected else { throw Self.refused("it could not be fetched (the connection failed)") }
        let timeout = loop.scheduleTask(deadline: deadline) {
            promise.fail(Self.refused("it took longer than \(settings.timeout)"))
            channel.close(promise: nil)
        }
        defer { timeout.cancel() }
        guard let peer = Self.bytes(of: channel.remoteAddress), settings.policy.refusal(peer) == nil else {
            let refusal = Self.refused("the connection reached an address Pier does not fetch from")
            promise.fail(refusal)
            channel.close(promise: nil)
            throw refusal
        }
        let authority = port == 443 ? host : "\(host):\(port)"
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path)
        head.headers.add(name: "Host", value: authority)
        head.headers.add(name: "Accept", value: "application/json")
        head.headers.add(name: "User-Agent", value: "Pier")
        head.headers.add(name: "Connection", value: "close")
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        return try await withTaskCancellationHandler {
            defer { channel.close(promise: nil) }
            return try await promise.futureResult.get()
        } onCancel: {
            promise.fail(CancellationError())
            channel.close(promise: nil)
        }
    }
}

/// Reads one response: a 200 of at most `limit` bytes; a redirect or another status is refused.
final class DocumentCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    let promise: EventLoopPromise<FetchedDocument>
    let limit: Int
    var body: [UInt8] = []
    var maxAge: Duration?
    var done = false

    init(promise: EventLoopPromise<FetchedDocument>, limit: Int) {
        self.promise = promise
        self.limit = limit
    }

    func fail(_ context: ChannelHandlerContext, _ why: String) {
        guard !done else { return }
        done = true
        promise.fail(SafeFetcher.refused(why))
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            if (300..<400).contains(Int(head.status.code)) { return fail(context, "it answered with a redirect, and Pier follows none") }
            guard head.status == .ok else { return fail(context, "it answered HTTP \(head.status.code)") }
            if let length = head.headers.first(name: "Content-Length").flatMap(Int.init), length > limit {
                return fail(context, "it is larger than \(limit) bytes")
            }
            maxAge = Self.maxAge(head.headers[canonicalForm: "Cache-Control"].map(String.init))
        case .body(let buffer):
            guard body.count + buffer.readableBytes <= limit else { return fail(context, "it is larger than \(limit) bytes") }
            body += buffer.readableBytesView
        case .end:
            done = true
            promise.succeed(FetchedDocument(body: body, maxAge: maxAge))
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context, "it could not be fetched (\(SafeFetcher.reason(error)))")
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !done {
            done = true
            promise.fail(SafeFetcher.refused("the connection closed before the whole document came"))
        }
        context.fireChannelInactive()
    }

    /// `max-age` of Cache-Control directives; zero for `no-store` or `no-cache`.
    static func maxAge(_ directives: [String]) -> Duration? {
        var age: Duration?
        for directive in directives.flatMap({ $0.split(separator: ",") }) {
            let part = directive.trimmingSpaces().lowercased()
            if part == "no-store" || part == "no-cache" { return .zero }
            if part.hasPrefix("max-age="), let seconds = Int(part.dropFirst(8)), seconds >= 0 { age = .seconds(seconds) }
        }
        return age
    }
}
