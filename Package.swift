// swift-tools-version: 6.1
import PackageDescription

let strictSwift: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "swift-cors",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "CORS", targets: ["CORS"]),
        .library(name: "CORSBrowserModel", targets: ["CORSBrowserModel"]),
        .library(name: "CORSObservability", targets: ["CORSObservability"]),
        .library(name: "CORSHummingbird", targets: ["CORSHummingbird"]),
        .library(name: "CORSVapor", targets: ["CORSVapor"]),
        .library(name: "CORSConfiguration", targets: ["CORSConfiguration"]),
        .executable(name: "cors", targets: ["cors"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/vapor/websocket-kit.git", from: "2.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // Web syntax both sides parse the same way: tokens, IP literals, default ports, the
        // Public Suffix List, registrable domains and same-site. Package access only.
        .target(name: "CORSWebSyntax", swiftSettings: strictSwift),
        // The engine: policy, validation, origin matching, decisions. swift-http-types only.
        .target(
            name: "CORS",
            dependencies: ["CORSWebSyntax", .product(name: "HTTPTypes", package: "swift-http-types")],
            swiftSettings: strictSwift
        ),
        // The browser side of the Fetch standard, with one profile per engine. No networking.
        .target(
            name: "CORSBrowserModel",
            dependencies: ["CORSWebSyntax", .product(name: "HTTPTypes", package: "swift-http-types")],
            swiftSettings: strictSwift
        ),
        // Logging and metrics of decisions, shared by both adapters.
        .target(
            name: "CORSObservability",
            dependencies: [
                "CORS",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "CORSHummingbird",
            dependencies: [
                "CORS",
                "CORSObservability",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "CORSVapor",
            dependencies: [
                "CORS",
                "CORSObservability",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSwift
        ),
        // Policy files, profiles and environment overrides.
        .target(
            name: "CORSConfiguration",
            dependencies: [
                "CORS",
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            swiftSettings: strictSwift
        ),
        // The `cors` tool's commands, as a library so that tests can run them in-process.
        .target(
            name: "CORSCommandLine",
            dependencies: [
                "CORS",
                "CORSWebSyntax",
                "CORSObservability",
                "CORSBrowserModel",
                "CORSHummingbird",
                "CORSVapor",
                "CORSConfiguration",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
            ],
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "cors",
            dependencies: ["CORSCommandLine"],
            swiftSettings: strictSwift
        ),

        // Helpers every test target shares: the seeded generator, the `cors` executable runner
        // and in-process servers.
        .target(
            name: "CORSTestSupport",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/CORSTestSupport",
            swiftSettings: strictSwift
        ),
        .testTarget(name: "CORSTests", dependencies: ["CORS", "CORSTestSupport"], swiftSettings: strictSwift),
        .testTarget(
            name: "CORSBrowserModelTests", dependencies: ["CORSBrowserModel", "CORS", "CORSTestSupport"],
            swiftSettings: strictSwift),
        .testTarget(
            name: "CORSHummingbirdTests",
            dependencies: [
                "CORSHummingbird",
                "CORS",
                "CORSObservability",
                "CORSTestSupport",
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "CORSVaporTests",
            dependencies: [
                "CORSVapor",
                .product(name: "XCTVapor", package: "vapor"),
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                "CORSObservability",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "CORSConformanceTests",
            dependencies: [
                "CORS", "CORSHummingbird", "CORSVapor", "CORSTestSupport", "CORSObservability", "CORSCommandLine",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "VaporTesting", package: "vapor"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "CORSConfigurationTests",
            dependencies: [
                "CORS", "CORSConfiguration",
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "CORSCommandLineTests",
            dependencies: [
                "CORSCommandLine", "CORS", "CORSConfiguration", "CORSHummingbird", "CORSBrowserModel", "CORSTestSupport",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                "CORSObservability",
            ],
            swiftSettings: strictSwift
        ),
        // Hostile servers for `cors check` / `cors scan`, and nginx as a real shared cache.
        .testTarget(
            name: "CORSHardeningTests",
            dependencies: [
                "CORSCommandLine", "CORS", "CORSTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "BrowserTests",
            dependencies: [
                "CORSCommandLine", "CORSBrowserModel", "CORS", "CORSTestSupport",
                .product(name: "WebSocketKit", package: "websocket-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strictSwift
        ),
    ]
)
