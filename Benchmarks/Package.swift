// swift-tools-version: 6.1
// Benchmarks for swift-cors: a package of its own, so that `swift test` at the root never builds
// the benchmark machinery. Run with `swift package benchmark` in this directory (see
// Benchmarks/README.md); `compare.sh` runs the end-to-end comparison with wrk.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "swift-cors-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "swift-cors", path: ".."),
        // Only the malloc interposer: the default RuntimeInterposer trait needs a package that is
        // not available here, and ARC counts are not what these benchmarks are about.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        // The engine's policies and requests, shared by EngineBenchmarks and EngineInstructions.
        .target(
            name: "EngineFixtures",
            dependencies: [
                .product(name: "CORS", package: "swift-cors"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Sources/EngineFixtures",
            swiftSettings: swiftSettings
        ),
        // Engine decisions on pre-built requests: wall clock, throughput, mallocs, instructions.
        .executableTarget(
            name: "EngineBenchmarks",
            dependencies: [
                "EngineFixtures",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "CORS", package: "swift-cors"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Benchmarks/EngineBenchmarks",
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // One engine operation in a loop, for instruction counts under valgrind (instructions.sh).
        .executableTarget(
            name: "EngineInstructions",
            dependencies: [
                "EngineFixtures",
                .product(name: "CORS", package: "swift-cors"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Sources/EngineInstructions",
            swiftSettings: swiftSettings
        ),
        // GET /me and a preflight through Hummingbird's and Vapor's responders, in process:
        // no CORS, the framework's own CORSMiddleware, and ours.
        .executableTarget(
            name: "FrameworkBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "CORS", package: "swift-cors"),
                .product(name: "CORSHummingbird", package: "swift-cors"),
                .product(name: "CORSVapor", package: "swift-cors"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/FrameworkBenchmarks",
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The servers compare.sh starts: the tutorial's GET /me on Hummingbird or Vapor, with our
        // CORS middleware, the framework's own, or none.
        .executableTarget(
            name: "CompareServer",
            dependencies: [
                .product(name: "CORS", package: "swift-cors"),
                .product(name: "CORSHummingbird", package: "swift-cors"),
                .product(name: "CORSVapor", package: "swift-cors"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/CompareServer",
            swiftSettings: swiftSettings
        ),
    ]
)
