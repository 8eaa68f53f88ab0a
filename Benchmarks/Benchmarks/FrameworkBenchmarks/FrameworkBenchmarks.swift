// GET /me and a CORS preflight through Hummingbird's and Vapor's own responders, in process (no
// sockets): without CORS middleware, with the framework's own CORSMiddleware configured like the
// tutorial, and with swift-cors. Each file imports one framework only, so that their `Request`,
// `Response` and `CORSMiddleware` types never meet.
//
// Targets (Benchmarks/README.md, "Targets: met and missed"): ours faster than the framework's own middleware, and within 5% of no CORS.

import Benchmark

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 3,
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 10_000,
        // Per 1,000 requests. 2% tolerates the odd pooled or lazily created object of the
        // frameworks and still catches one extra allocation per request.
        thresholds: [.mallocCountTotal: .init(relative: [.p90: 2.0])]
    )
    registerHummingbirdBenchmarks()
    registerVaporBenchmarks()
}
