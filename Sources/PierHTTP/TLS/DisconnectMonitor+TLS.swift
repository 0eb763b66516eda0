public import HummingbirdCore
import HummingbirdHTTP2
import HummingbirdTLS

extension DisconnectMonitor {
    /// An HTTPS server whose connections this monitor watches: HTTP/2 or HTTP/1.1 by ALPN when `http2` is set,
    /// else HTTP/1.1 only. The certificates are asked for on every handshake, so ``TLSCertificates/reload()``
    /// takes effect for the next connection.
    ///
    /// Under HTTP/2 the monitor watches each stream (a client resetting a stream ends what it was waiting for);
    /// under HTTP/1.1 the connection, as ``http1(configuration:)`` does.
    public func tls(certificates: TLSCertificates, http2: Bool, configuration: HTTP1Channel.Configuration = .init()) throws -> HTTPServerBuilder {
        let streamConfiguration = watching(configuration)
        let tls = certificates.serverConfiguration()
        guard http2 else {
            return HTTPServerBuilder { responder in
                try TLSChannel(ScopedConnections(inner: HTTP1Channel(responder: responder, configuration: streamConfiguration), monitor: self), tlsConfiguration: tls)
            }
        }
        return HTTPServerBuilder { responder in
            try ScopedConnections(
                inner: HTTP2UpgradeChannel(tlsConfiguration: tls, configuration: .init(streamConfiguration: streamConfiguration), responder: responder), monitor: self)
        }
    }
}
