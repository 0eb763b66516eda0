import CoreMetrics
public import Prometheus

/// The process's metrics backend: swift-metrics bootstrapped once with a Prometheus registry, whose text
/// `/metrics` serves. swift-metrics allows one bootstrap per process, so every application built in this process
/// (tests build several) shares it.
public enum PrometheusBackend {
    /// The registry every metric of this process lands in.
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Requests and tool calls: from a millisecond to a minute.
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
        ]
        // Store work is faster.
        factory.durationHistogramBuckets["pier_store_operation_duration_seconds"] = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// Makes swift-metrics report to ``registry``; call it before anything emits (later calls do nothing).
    public static func bootstrap() { _ = registry }
}
