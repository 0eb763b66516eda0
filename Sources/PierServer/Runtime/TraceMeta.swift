public import Instrumentation
public import MCPCore

/// W3C trace context in a request's `_meta` (`traceparent`, `tracestate`), where OpenTelemetry's MCP conventions
/// carry it across MCP, whatever the transport.
public struct TraceMeta: Extractor, Injector {
    public init() {}

    public func extract(key: String, from carrier: JSONObject) -> String? { carrier[key]?.stringValue }

    public func inject(_ value: String, forKey key: String, into carrier: inout JSONObject) { carrier[key] = .string(value) }

    /// `meta` with the current trace context added (nothing is added when no tracer is bootstrapped).
    public static func stamped(_ meta: JSONObject) -> JSONObject {
        guard let context = ServiceContext.current else { return meta }
        var meta = meta
        InstrumentationSystem.instrument.inject(context, into: &meta, using: TraceMeta())
        return meta
    }
}
