// Runs one engine operation of EngineBenchmarks a given number of times, for an instruction
// count under `valgrind --tool=callgrind` (see instructions.sh). Wall-clock benchmarks need a
// quiet machine; an instruction count is the same on a busy one, so it tells whether a change to
// the engine made it cheaper before the wall clock can be trusted.
//
//     EngineInstructions SCENARIO COUNT

import CORS
import Foundation
import EngineFixtures
import HTTPTypes

let fixtures = EngineFixtures()
let tutorial = fixtures.tutorialEngine

/// Keeps the optimiser from removing the work whose result is unused.
@inline(never)
func consume<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

let scenarios: [String: () -> Void] = [
    "baseline-response-fields-spare-capacity": {
        consume(EngineFixtures.roomyResponseFields())
    },
    "actual-trusted-decide": {
        consume(tutorial.decide(fixtures.actualTrusted))
    },
    "actual-trusted-decide+apply": {
        let decision = tutorial.decide(fixtures.actualTrusted)
        var fields = EngineFixtures.roomyResponseFields()
        decision.apply(to: &fields)
        consume(fields)
    },
    "actual-untrusted-decide+apply": {
        let decision = tutorial.decide(fixtures.actualUntrusted)
        var fields = EngineFixtures.roomyResponseFields()
        decision.apply(to: &fields)
        consume(fields)
    },
    "actual-no-origin-decide+apply": {
        let decision = tutorial.decide(fixtures.actualNoOrigin)
        var fields = EngineFixtures.roomyResponseFields()
        decision.apply(to: &fields)
        consume(fields)
    },
    "actual-pattern-among-50-exact-decide+apply": {
        let decision = fixtures.patternEngine.decide(fixtures.actualPatternMatched)
        var fields = EngineFixtures.roomyResponseFields()
        decision.apply(to: &fields)
        consume(fields)
    },
    "preflight-allowed-2-headers": {
        consume(tutorial.decide(fixtures.preflightAllowed).preflightResponse())
    },
    "preflight-allowed-2-headers-fields": {
        let decision = tutorial.decide(fixtures.preflightAllowed)
        consume((decision.preflightStatus, decision.preflightHeaderFields))
    },
    "preflight-denied-untrusted-origin": {
        consume(tutorial.decide(fixtures.preflightUntrusted).preflightResponse())
    },
]

let arguments = CommandLine.arguments
guard arguments.count == 3, let run = scenarios[arguments[1]], let count = Int(arguments[2]), count >= 0 else {
    let names = scenarios.keys.sorted().joined(separator: "\n  ")
    print("usage: EngineInstructions SCENARIO COUNT\nscenarios:\n  \(names)")
    exit(2)
}
for _ in 0..<count { run() }
