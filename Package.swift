// swift-tools-version:6.1
import PackageDescription

/// `PIER_WITHOUT_OTEL=1` builds Pier without swift-otel (OTLP tracing then refuses to start). Only the
/// ThreadSanitizer build uses it: swift-otel 1.6.0 does not compile under `--sanitize=thread`.
let withOTel = Context.environment["PIER_WITHOUT_OTEL"] != "1"

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Pier",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pier", targets: ["PierCLI"]),
        .library(name: "MCPCore", targets: ["MCPCore"]),
        .library(name: "PierServer", targets: ["PierServer"]),
        .library(name: "PierHTTP", targets: ["PierHTTP"]),
        .library(name: "PierTesting", targets: ["PierTesting"]),
        .library(name: "PierWidgets", targets: ["PierWidgets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-async-algorithms.git", from: "1.1.4"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        // A peer for interop tests only (its client against Pier); never linked into Pier itself.
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-extras/swift-extras-base64.git", from: "1.2.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk.git", from: "0.12.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
    ],
    targets: [
        // The lock Pier guards shared state with (one that ThreadSanitizer sees). Depends on nothing.
        .target(name: "PierSync", swiftSettings: swiftSettings),
        // Wire only: JSON, JSON-RPC envelopes, MCP versions, errors. No NIO.
        .target(name: "MCPCore", dependencies: ["PierSync"], swiftSettings: swiftSettings),
        // The app-author API and the dispatcher. No NIO, no HTTP.
        .target(
            name: "PierServer",
            dependencies: [
                "PierSync", .product(name: "Tracing", package: "swift-distributed-tracing"),
                "MCPCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // The client side of MCP: talking to an upstream server over any transport, in whichever era it speaks. No NIO.
        .target(name: "MCPClient", dependencies: ["PierSync", "MCPCore"], swiftSettings: swiftSettings),
        // An upstream MCP server run as a supervised child process (swift-subprocess), spoken to over its stdio.
        .target(
            name: "PierUpstreamStdio",
            dependencies: [
                "PierSync", "MCPCore", "MCPClient",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // A remote upstream MCP server over Streamable HTTP or the legacy HTTP+SSE transport (async-http-client).
        .target(
            name: "PierUpstreamHTTP",
            dependencies: [
                "PierSync", .product(name: "Tracing", package: "swift-distributed-tracing"),
                "MCPCore", "MCPClient",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Upstream servers aggregated into the catalogue: supervision, naming, forwarding. Sees transports only
        // through MCPClient's protocol.
        .target(
            name: "PierGateway",
            dependencies: [
                "PierSync", .product(name: "Tracing", package: "swift-distributed-tracing"),
                "MCPCore", "MCPClient", "PierServer",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // MCP over stdin/stdout (newline-delimited JSON-RPC) on a NIO pipe channel.
        .target(
            name: "PierStdio",
            dependencies: [
                "PierSync", "MCPCore", "PierServer",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Streamable HTTP on Hummingbird 2.
        .target(
            name: "PierHTTP",
            dependencies: [
                "PierSync", .product(name: "Tracing", package: "swift-distributed-tracing"),
                "MCPCore", "PierServer",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Storage protocols and value types, and the in-memory backend. Knows no database.
        .target(
            name: "PierStore",
            dependencies: [
                "PierSync", .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // SQLite backend (GRDB): the embedded default.
        .target(
            name: "PierStoreSQLite",
            dependencies: ["PierStore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        // PostgreSQL backend (postgres-nio): for several instances behind a load balancer.
        .target(
            name: "PierStorePostgres",
            dependencies: [
                "PierSync", "PierStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // For the pool's own error type (postgres-nio rethrows it as is).
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // A helper the store tests run as separate processes (two writers, kill -9); not shipped.
        .executableTarget(
            name: "StoreProbe",
            dependencies: [
                "PierStore", "PierStoreSQLite", "PierStorePostgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/StoreProbe",
            swiftSettings: swiftSettings
        ),
        // Store throughput (BENCHMARKS.md); not shipped.
        .executableTarget(
            name: "StoreBenchmark",
            dependencies: [
                "PierStore", "PierStoreSQLite", "PierStorePostgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Benchmarks/StoreBenchmark",
            swiftSettings: swiftSettings
        ),
        // The framework's ceiling for the tools/call benchmark: Hummingbird collecting a body, answering a constant; not shipped.
        .executableTarget(
            name: "CeilingServer",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            path: "Benchmarks/CeilingServer",
            swiftSettings: swiftSettings
        ),
        // The widget toolkit: ui:// resources with content-hashed URIs, assets, and ChatGPT-ready tool metadata.
        .target(
            name: "PierWidgets",
            dependencies: ["PierSync", "MCPCore", "PierServer", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // Pier's own apps: the demo, the three widget apps (dashboard, gallery, cart) and the conformance fixtures.
        .target(
            name: "PierApps",
            dependencies: ["PierSync", "MCPCore", "PierServer", "PierWidgets", "PierStore"],
            resources: [.copy("Widgets")],
            swiftSettings: swiftSettings
        ),
        // The web side of widgets: content-hashed assets under /assets and the /playground host.
        .target(
            name: "PierWeb",
            dependencies: [
                "PierWidgets",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            resources: [.copy("Playground")],
            swiftSettings: swiftSettings
        ),
        // Pier's own web pages for people: the landing page at / (and, behind a login, the dashboard), server-rendered
        // from Mustache templates. Sees the rest of Pier only through the snapshots it is handed.
        .target(
            name: "PierConsole",
            dependencies: [
                "PierSync", "MCPCore", "PierWidgets", "PierStore", "PierAuth", "PierHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Pages")],
            swiftSettings: swiftSettings
        ),
        // The metrics backend (Prometheus, read at /metrics) and the HTTP request metrics. The rest of Pier emits
        // through the swift-metrics API only.
        .target(
            name: "PierTelemetry",
            dependencies: [
                "PierSync", .product(name: "Tracing", package: "swift-distributed-tracing"),
            ] + (withOTel ? [.product(name: "OTel", package: "swift-otel")] : []) + [
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // `pier doctor`: an MCP server checked the way ChatGPT will use it, from outside (async-http-client).
        .target(
            name: "PierDoctor",
            dependencies: [
                "MCPCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        // OAuth 2.1 without HTTP: PKCE, redirect and client checks, the authorization server's grants and tokens.
        .target(
            name: "PierAuth",
            dependencies: [
                "PierSync", .product(name: "CoreMetrics", package: "swift-metrics"),
                "MCPCore", "PierStore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "ExtrasBase64", package: "swift-extras-base64"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        // OAuth on HTTP: the authorization server's routes, protected-resource metadata, and the bearer check of the MCP endpoints.
        .target(
            name: "PierAuthHTTP",
            dependencies: [
                "PierSync", .product(name: "CoreMetrics", package: "swift-metrics"),
                "MCPCore", "PierServer", "PierHTTP", "PierStore", "PierAuth",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "ExtrasBase64", package: "swift-extras-base64"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The control plane: the server registry applied to the gateway, API keys, and the REST admin API /api/v1.
        .target(
            name: "PierAdminAPI",
            dependencies: [
                "PierSync", .product(name: "CoreMetrics", package: "swift-metrics"),
                "MCPCore", "PierStore", "PierGateway", "PierHTTP", "PierAuth",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources/openapi.json")],
            swiftSettings: swiftSettings
        ),
        // A harness app authors use to test their tools without sockets.
        .target(name: "PierTesting", dependencies: ["PierSync", "MCPCore", "PierServer"], swiftSettings: swiftSettings),
        // Configuration and buildApplication: the one place where everything is put together.
        .target(
            name: "PierApplication",
            dependencies: [
                "PierSync", "MCPCore", "PierServer", "PierHTTP", "PierStdio", "PierApps", "PierStore", "PierStoreSQLite", "PierStorePostgres",
                "PierWidgets", "PierWeb", "MCPClient", "PierGateway", "PierUpstreamStdio", "PierUpstreamHTTP", "PierAdminAPI", "PierAuth", "PierAuthHTTP",
                "PierConsole", "PierTelemetry", "PierDoctor",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "PierCLI",
            dependencies: ["PierApplication", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "MCPCoreTests", dependencies: ["MCPCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PierAuthTests", dependencies: ["PierSync", "MCPCore", "PierStore", "PierAuth", .product(name: "JWTKit", package: "jwt-kit"), .product(name: "Crypto", package: "swift-crypto")], swiftSettings: swiftSettings),
        .testTarget(
            name: "PierAdminAPITests",
            dependencies: ["MCPCore", "PierStore", "PierAdminAPI", "PierAuth", .product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PierGatewayTests",
            dependencies: [
                "PierSync", "MCPCore", "MCPClient", "PierServer", "PierGateway", "PierUpstreamStdio", "PierTesting", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PierStoreTests",
            dependencies: [
                "PierSync", "PierStore", "PierStoreSQLite", "PierStorePostgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PierServerTests",
            dependencies: ["PierSync", "MCPCore", "PierServer", "PierTesting", "PierApps"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PierWidgetsTests",
            dependencies: ["MCPCore", "PierServer", "PierWidgets", "PierApps", "PierStore", "PierTesting"],
            swiftSettings: swiftSettings
        ),
        // An upstream for the gateway tests, written with the official Swift SDK (its server over stdio); not shipped.
        .executableTarget(
            name: "SwiftSDKUpstream",
            dependencies: [.product(name: "MCP", package: "swift-sdk")],
            path: "Tests/SwiftSDKUpstream",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwiftSDKInteropTests",
            dependencies: [.product(name: "MCP", package: "swift-sdk")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PierHTTPTests",
            dependencies: [
                "PierSync", "PierHTTP", "PierTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PierApplicationTests",
            dependencies: [
                "MCPCore", "PierServer", "PierHTTP", "PierApps", "PierApplication", "PierStore", "PierStorePostgres", "PierWidgets", "PierTesting", "PierTelemetry", "PierConsole",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

if withOTel {
    // OTLP over HTTP only: the gRPC exporter's packages are not built.
    package.dependencies.append(.package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]))
}
