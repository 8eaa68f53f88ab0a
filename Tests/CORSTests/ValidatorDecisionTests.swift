import Testing

@testable import CORS

/// Decisions taken after the first review of the validator.
@Suite("Validator decisions")
struct ValidatorDecisionTests {
    @Test func localhostSubdomainPatternIsAllowedBecauseItOnlyReachesThisMachine() throws {
        let policy = try CORSPolicy(allowOriginPatterns: ["http://*.localhost:*"], allowCredentials: true)
        let engine = CORSEngine(policy: policy)
        #expect(engine.decide(actual(origin: "http://app.localhost:5173")).outcome == .actualAllowed)
        #expect(engine.decide(actual(origin: "http://app.localhost.evil.com")).isAllowed == false)
    }

    @Test func userinfoIsNeverEchoedBackInTheMessage() {
        let problems = CORSPolicy.problems(allowOrigins: ["https://admin:hunter2@app.example.com"])
        #expect(problems.map(\.code) == [.originUserinfo])
        #expect(!problems[0].message.contains("hunter2"))
        #expect(problems[0].fix == "remove the user name and password: did you mean https://app.example.com?")
    }
}
