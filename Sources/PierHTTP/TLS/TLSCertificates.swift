import NIOCore
public import NIOSSL
import PierSync

/// The certificate chain and private key Pier's TLS listener presents, read from PEM files and re-read on
/// ``reload()`` (SIGHUP). Every new handshake takes the pair current at that moment, through NIOSSL's
/// per-handshake context callback, so a reload changes what new connections see and leaves open ones alone.
///
/// ```swift
/// let certificates = try TLSCertificates(certificateFile: "/etc/pier/tls.crt", keyFile: "/etc/pier/tls.key")
/// let server = try disconnects.tls(certificates: certificates, http2: true)
/// try certificates.reload()  // after the files were replaced
/// ```
public final class TLSCertificates: Sendable {
    public let certificateFile: String
    public let keyFile: String

    private struct Pair {
        var chain: [NIOSSLCertificate]
        var key: NIOSSLPrivateKey
    }
    private let current: Locked<Pair>

    /// Reads and checks both files; throws when either is missing, not PEM, or the key does not fit the certificate.
    public init(certificateFile: String, keyFile: String) throws(TLSSetupError) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.current = Locked(try Self.load(certificateFile: certificateFile, keyFile: keyFile))
    }

    /// Re-reads the files. When they cannot be used, the pair in use stays and the error says why.
    public func reload() throws(TLSSetupError) {
        let pair = try Self.load(certificateFile: certificateFile, keyFile: keyFile)
        current.withLock { $0 = pair }
    }

    /// The leaf certificate's serial number and the chain's length, for logs.
    public var summary: String {
        current.withLock { pair in
            guard let leaf = pair.chain.first else { return "no certificate" }
            return "serial \(leaf.serialNumber.map { String($0, radix: 16) }.joined()), \(pair.chain.count) certificate(s)"
        }
    }

    /// A server configuration (TLS 1.2 and up) that asks this object for the pair on every handshake.
    public func serverConfiguration() -> TLSConfiguration {
        let pair = current.withLock { $0 }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: pair.chain.map { .certificate($0) }, privateKey: .privateKey(pair.key))
        configuration.minimumTLSVersion = .tlsv12
        configuration.sslContextCallback = { [self] _, promise in
            let pair = current.withLock { $0 }
            var override = NIOSSLContextConfigurationOverride()
            override.certificateChain = pair.chain.map { .certificate($0) }
            override.privateKey = .privateKey(pair.key)
            promise.succeed(override)
        }
        return configuration
    }

    private static func load(certificateFile: String, keyFile: String) throws(TLSSetupError) -> Pair {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificateFile)
        } catch {
            throw TLSSetupError(file: certificateFile, reason: "cannot read a PEM certificate chain from it (\(error))")
        }
        guard !chain.isEmpty else { throw TLSSetupError(file: certificateFile, reason: "it holds no certificate") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
        } catch {
            throw TLSSetupError(file: keyFile, reason: "cannot read a PEM private key from it (\(error))")
        }
        // A context is what checks that the key belongs to the leaf certificate.
        do {
            _ = try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key)))
        } catch {
            throw TLSSetupError(file: keyFile, reason: "the key does not fit the certificate in \(certificateFile) (\(error))")
        }
        return Pair(chain: chain, key: key)
    }
}

/// A certificate or key file Pier cannot serve TLS with.
public struct TLSSetupError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let reason: String
    public var description: String { "TLS: \(file): \(reason)" }
}
