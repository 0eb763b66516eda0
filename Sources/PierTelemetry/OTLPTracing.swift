import Foundation
import PierSync
import Logging
#if canImport(OTel)
public import OTel
#endif
public import ServiceLifecycle
import Tracing

/// Traces exported over OTLP/HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`)
/// is set; the other `OTEL_*` variables (protocol, headers, sampler, service name) work as OpenTelemetry
/// defines them. Metrics stay with Prometheus at `/metrics`, logs with Pier's own handler.
public enum OTLPTracing {
    /// Whether the environment asks for traces.
    public static func isConfigured(_ given: [String: String]? = nil) -> Bool {
        let environment = given ?? ProcessInfo.processInfo.environment
        return ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"].contains { !(environment[$0] ?? "").isEmpty }
            && environment["OTEL_TRACES_EXPORTER"] != "none"
    }

    /// Bootstraps the process's tracer (once: a later call returns `nil`) and returns the exporter's service, to
    /// run in the service group so that spans go out and the last ones are flushed on shutdown.
    /// - Throws: swift-otel's configuration errors, or ``BuiltWithoutOTel`` in a build made without it.
    public static func bootstrap(serviceName: String) throws -> (any Service)? {
        #if canImport(OTel)
        try once.withLock { done -> (any Service)? in
            guard !done else { return nil }
            var configuration = OTel.Configuration.default
            configuration.serviceName = serviceName
            configuration.traces.enabled = true
            configuration.metrics.enabled = false
            configuration.logs.enabled = false
            let backend = try OTel.makeTracingBackend(configuration: configuration)
            InstrumentationSystem.bootstrap(backend.factory)
            done = true
            return backend.service
        }
        #else
        throw BuiltWithoutOTel()
        #endif
    }

    /// Tracing was asked for, but this Pier was built with `PIER_WITHOUT_OTEL=1` (the ThreadSanitizer build).
    public struct BuiltWithoutOTel: Error, CustomStringConvertible {
        public var description: String { "this Pier was built without OpenTelemetry (PIER_WITHOUT_OTEL=1); unset OTEL_EXPORTER_OTLP_ENDPOINT" }
    }

    static let once = Locked(false)
}
