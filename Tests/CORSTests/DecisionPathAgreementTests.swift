import CORS
import CORSTestSupport
import HTTPTypes
import Testing

// The engine has two ways in (an `HTTPRequest`, or `CORSRequestFacts` gathered by an adapter
// from its own header type) and two ways out for a preflight (answers prepared when the policy
// is compiled, for its exact origins, and fields rendered per request). Every pair must agree,
// on the property tests' random policies and near-miss requests.

@Suite("Decision paths agree")
struct DecisionPathAgreementTests {
    static let cases = 3_000

    @Test("facts gathered from plain-string names in any case decide exactly as the HTTPRequest does")
    func factsFromStringNamesAgree() throws {
        var mismatches: [String] = []
        for index in 0..<Self.cases {
            var rng = SplitMix64(seed: 0x5EED_FAC7 &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
            guard let policy = try? PolicyGenerator.policy(&rng).make() else { continue }
            var stats = Stats()
            let origin = OriginGenerator.candidate(for: policy, &rng, stats: &stats)
            let request = RequestGenerator.request(origin: origin, policy: policy, &rng)
            let engine = CORSEngine(policy: policy)

            var facts = CORSRequestFacts(method: request.method)
            for field in request.headerFields {
                facts.add(name: Self.randomCase(field.name.rawName, &rng), value: field.value)
            }
            #expect(facts == CORSRequestFacts(request))
            let fromRequest = engine.decide(request)
            let fromFacts = engine.decide(facts)
            if fromRequest.outcome != fromFacts.outcome || fromRequest.headerFields != fromFacts.headerFields {
                mismatches.append("case \(index): \(fromRequest.outcome) vs \(fromFacts.outcome)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test("a prepared preflight answer equals the fields rendered for the same decision")
    func preparedPreflightAnswersAgree() throws {
        var preflights = 0
        for index in 0..<Self.cases {
            var rng = SplitMix64(seed: 0xA115_0E1 &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
            guard let policy = try? PolicyGenerator.policy(&rng).make() else { continue }
            var stats = Stats()
            let origin = OriginGenerator.candidate(for: policy, &rng, stats: &stats)
            let request = RequestGenerator.request(origin: origin, policy: policy, &rng)
            let decision = CORSEngine(policy: policy).decide(request)
            guard decision.isPreflight else { continue }
            preflights += 1
            #expect(
                decision.preflightHeaderFields == decision.headerFields,
                "case \(index): \(decision.outcome)")
        }
        #expect(preflights > Self.cases / 10)
    }

    @Test("the tutorial's allowed preflight, with and without Private Network Access, from a prepared answer")
    func tutorialPreparedAnswers() throws {
        let policy = try CORSPolicy(
            allowOrigins: ["https://app.example.com", "http://localhost:5173"], allowCredentials: true,
            allowMethods: ["GET", "PUT"], allowHeaders: ["Content-Type"], maxAge: 600, allowPrivateNetwork: true)
        let engine = CORSEngine(policy: policy)
        var facts = CORSRequestFacts(method: .options)
        facts.add(name: "ORIGIN", value: "http://localhost:5173")
        facts.add(name: "access-control-request-method", value: "PUT")
        facts.add(name: "Access-Control-Request-Headers", value: "content-type")
        #expect(Self.orderedLines(engine.decide(facts).preflightHeaderFields) == [
            "access-control-allow-origin: http://localhost:5173",
            "access-control-allow-credentials: true",
            "access-control-allow-methods: GET, PUT",
            "access-control-allow-headers: Content-Type",
            "access-control-max-age: 600",
            "vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network",
        ])
        facts.add(name: "Access-Control-Request-Private-Network", value: "true")
        #expect(Self.orderedLines(engine.decide(facts).preflightHeaderFields) == [
            "access-control-allow-origin: http://localhost:5173",
            "access-control-allow-credentials: true",
            "access-control-allow-methods: GET, PUT",
            "access-control-allow-headers: Content-Type",
            "access-control-max-age: 600",
            "access-control-allow-private-network: true",
            "vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network",
        ])
    }

    @Test("Access-Control-Request-Headers over several lines is read as one list, and its size cap holds")
    func requestHeadersOverSeveralLines() throws {
        let engine = CORSEngine(policy: .tutorial)
        var facts = CORSRequestFacts(method: .options)
        facts.add(name: "Origin", value: "https://app.example.com")
        facts.add(name: "Access-Control-Request-Method", value: "PUT")
        facts.add(name: "Access-Control-Request-Headers", value: "authorization")
        facts.add(name: "Access-Control-Request-Headers", value: " content-type ")
        #expect(engine.decide(facts).outcome == .preflightAllowed)
        facts.add(name: "Access-Control-Request-Headers", value: "x-other")
        #expect(engine.decide(facts).outcome == .preflightDenied(.headerNotAllowed(name: "x-other")))
        facts.add(name: "Access-Control-Request-Headers", value: String(repeating: ",", count: 5_000))
        #expect(engine.decide(facts).outcome == .preflightDenied(.requestHeadersTooLarge(byteCount: 5_034)))
    }

    /// The fields as `name: value` lines, in their order.
    static func orderedLines(_ fields: HTTPFields) -> [String] {
        fields.map { "\($0.name.canonicalName): \($0.value)" }
    }

    /// `name` with each letter's case chosen at random.
    static func randomCase(_ name: String, _ rng: inout SplitMix64) -> String {
        let bytes = name.utf8.map { byte in
            (0x61...0x7A).contains(byte) && rng.chance(50) ? byte - 0x20 : byte
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
