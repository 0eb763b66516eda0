// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
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
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-async-algorithms.git", from: "1.1.4"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        // Wire only: JSON, JSON-RPC envelopes, MCP versions, errors. No NIO.
        .target(name: "MCPCore", swiftSettings: swiftSettings),
        // The app-author API and the dispatcher. No NIO, no HTTP.
        .target(
            name: "PierServer",
            dependencies: [
                "MCPCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Streamable HTTP on Hummingbird 2.
        .target(
            name: "PierHTTP",
            dependencies: [
                "MCPCore", "PierServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Pier's own apps: the demo app and the conformance fixture app.
        .target(name: "PierApps", dependencies: ["MCPCore", "PierServer"], swiftSettings: swiftSettings),
        // A harness app authors use to test their tools without sockets.
        .target(name: "PierTesting", dependencies: ["MCPCore", "PierServer"], swiftSettings: swiftSettings),
        // Configuration and buildApplication: the one place where everything is put together.
        .target(
            name: "PierApplication",
            dependencies: [
                "MCPCore", "PierServer", "PierHTTP", "PierApps",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "PierCLI",
            dependencies: [
                "PierApplication",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "MCPCoreTests", dependencies: ["MCPCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PierServerTests",
            dependencies: ["MCPCore", "PierServer", "PierTesting", "PierApps"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PierHTTPTests",
            dependencies: [
                "MCPCore", "PierServer", "PierHTTP", "PierApps", "PierApplication",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
