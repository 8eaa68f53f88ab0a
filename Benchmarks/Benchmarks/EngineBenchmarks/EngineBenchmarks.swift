// Engine decisions on pre-built requests: what one request costs the CORS layer, without any
// framework around it. Every request and policy is built before the measurement starts; each
// measured operation is exactly what an adapter does per request: `decide` and `apply(to:)` on the
// response's fields for an actual request, `decide` and `preflightResponse()` for a preflight.
//
// Allocation targets (Benchmarks/README.md, "Targets: met and missed"):
// - an actual request allocates nothing beyond the response's own header storage;
// - an allowed preflight allocates at most 2 times;
// - hostile Access-Control-Request-Headers cost at most 5× a normal preflight.
// `mallocCountTotal` is pinned by the static thresholds in ../../Thresholds (see Benchmarks/README.md;
// CI runs `swift package benchmark thresholds check --target EngineBenchmarks --metric mallocCountTotal`).
//
// Benchmark names have no spaces, commas or slashes: the plugin's --filter splits at commas and
// must match the whole name, and `thresholds update` writes file names with spaces turned into
// underscores that `thresholds check` then looks up with the spaces (benchmark 1.38.1).

import Benchmark
import CORS
import EngineFixtures
import HTTPTypes

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 5,
        scalingFactor: .kilo,
        maxDuration: .seconds(1),
        maxIterations: 100_000,
        // Allocation counts are deterministic: any change of the p90 is a regression (or an
        // improvement to record with `thresholds update`).
        thresholds: [.mallocCountTotal: .init(relative: [.p90: 0], absolute: [.p90: 0])]
    )

    let fixtures = EngineFixtures()
    let tutorial = fixtures.tutorialEngine

    // MARK: Baselines (what the response costs without CORS)

    Benchmark("baseline-response-fields-spare-capacity") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(EngineFixtures.roomyResponseFields())
        }
    }

    Benchmark("baseline-response-fields-exact-size") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(EngineFixtures.tightResponseFields())
        }
    }

    // MARK: Actual requests

    Benchmark("actual-trusted-decide") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(tutorial.decide(fixtures.actualTrusted))
        }
    }

    Benchmark("actual-trusted-decide+apply") { benchmark in
        for _ in benchmark.scaledIterations {
            let decision = tutorial.decide(fixtures.actualTrusted)
            var fields = EngineFixtures.roomyResponseFields()
            decision.apply(to: &fields)
            blackHole(fields)
        }
    }

    Benchmark("actual-trusted-decide+apply-exact-size-response") { benchmark in
        for _ in benchmark.scaledIterations {
            let decision = tutorial.decide(fixtures.actualTrusted)
            var fields = EngineFixtures.tightResponseFields()
            decision.apply(to: &fields)
            blackHole(fields)
        }
    }

    // What the adapters call: the async overload (no origin predicate, so it never suspends).
    Benchmark("actual-trusted-async-decide+apply") { benchmark in
        for _ in benchmark.scaledIterations {
            let decision = await tutorial.decide(fixtures.actualTrusted)
            var fields = EngineFixtures.roomyResponseFields()
            decision.apply(to: &fields)
            blackHole(fields)
        }
    }

    Benchmark("actual-untrusted-decide+apply") { benchmark in
        for _ in benchmark.scaledIterations {
            let decision = tutorial.decide(fixtures.actualUntrusted)
            var fields = EngineFixtures.roomyResponseFields()
            decision.apply(to: &fields)
            blackHole(fields)
        }
    }

    Benchmark("actual-no-origin-decide+apply") { benchmark in
        for _ in benchmark.scaledIterations {
            let decision = tutorial.decide(fixtures.actualNoOrigin)
            var fields = EngineFixtures.roomyResponseFields()
            decision.apply(to: &fields)
            blackHole(fields)
        }
    }

    let patterns = fixtures.patternEngine
    Benchmark("actual-pattern-among-50-exact-decide+apply") { benchmark in
        for _ in benchmark.scaledIterations {
            let decision = patterns.decide(fixtures.actualPatternMatched)
            var fields = EngineFixtures.roomyResponseFields()
            decision.apply(to: &fields)
            blackHole(fields)
        }
    }

    Benchmark("actual-exact-among-50-exact+pattern-decide+apply") { benchmark in
        for _ in benchmark.scaledIterations {
            let decision = patterns.decide(fixtures.actualExactAmongMany)
            var fields = EngineFixtures.roomyResponseFields()
            decision.apply(to: &fields)
            blackHole(fields)
        }
    }

    // MARK: Preflights

    Benchmark("preflight-allowed-2-headers") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(tutorial.decide(fixtures.preflightAllowed).preflightResponse())
        }
    }

    Benchmark("preflight-allowed-no-headers") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(tutorial.decide(fixtures.preflightAllowedNoHeaders).preflightResponse())
        }
    }

    Benchmark("preflight-denied-untrusted-origin") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(tutorial.decide(fixtures.preflightUntrusted).preflightResponse())
        }
    }

    Benchmark("preflight-denied-header-not-allowed") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(tutorial.decide(fixtures.preflightHeaderNotAllowed).preflightResponse())
        }
    }

    // MARK: Hostile Access-Control-Request-Headers

    Benchmark("preflight-hostile-acrh-6000-commas") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(tutorial.decide(fixtures.preflightCommas6000).preflightResponse())
        }
    }

    Benchmark("preflight-hostile-acrh-1MB") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(tutorial.decide(fixtures.preflightOneMegabyte).preflightResponse())
        }
    }

    // Not in the list: the worst value that still passes the 4 KB cap.
    Benchmark("preflight-hostile-acrh-4000-commas-under-cap") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(tutorial.decide(fixtures.preflightCommas4000).preflightResponse())
        }
    }
}
