import Logging
import PierHTTP
import ServiceLifecycle
import UnixSignals

/// Re-reads the TLS certificate and key on SIGHUP. Connections already open keep the certificate they shook hands
/// with; new ones get the new pair. Files that cannot be used leave the old pair in place, with an error logged.
struct CertificateReloader: Service {
    let certificates: TLSCertificates
    let logger: Logger

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        logger.info("TLS certificate loaded", metadata: ["file": "\(certificates.certificateFile)", "certificate": "\(certificates.summary)"])
        for await _ in hangups.cancelOnGracefulShutdown() {
            do {
                try certificates.reload()
                logger.notice("TLS certificate reloaded", metadata: ["file": "\(certificates.certificateFile)", "certificate": "\(certificates.summary)"])
            } catch {
                logger.error("TLS certificate not reloaded; the previous one stays in use", metadata: ["error": "\(error.description)"])
            }
        }
    }
}
