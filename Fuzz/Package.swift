// swift-tools-version: 6.1
// libFuzzer targets for swift-cors: a package of its own, so that `swift test` at the root never
// builds them, with its own .build (git-ignored). Build and run them with `run.sh` (see
// Fuzz/README.md): the targets need `-sanitize=fuzzer,address -parse-as-library`.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "swift-cors-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "swift-cors", path: ".."),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        // The oracles and invariant checks the targets share.
        .target(
            name: "FuzzSupport",
            dependencies: [
                .product(name: "CORS", package: "swift-cors"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        // Access-Control-Request-Headers through CORSEngine.decide.
        .executableTarget(
            name: "FuzzRequestHeaders",
            dependencies: [
                "FuzzSupport",
                .product(name: "CORS", package: "swift-cors"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        // Origin values against policies of exact origins and patterns; origin validation.
        .executableTarget(
            name: "FuzzOrigins",
            dependencies: [
                "FuzzSupport",
                .product(name: "CORS", package: "swift-cors"),
                .product(name: "CORSBrowserModel", package: "swift-cors"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        // Policy JSON: JSONDecoder + validation, and the CORSConfiguration policy-file loader.
        .executableTarget(
            name: "FuzzPolicyJSON",
            dependencies: [
                "FuzzSupport",
                .product(name: "CORS", package: "swift-cors"),
                .product(name: "CORSConfiguration", package: "swift-cors"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        // The browser model's parsing of CORS response headers and Set-Cookie.
        .executableTarget(
            name: "FuzzBrowserResponse",
            dependencies: [
                "FuzzSupport",
                .product(name: "CORSBrowserModel", package: "swift-cors"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
