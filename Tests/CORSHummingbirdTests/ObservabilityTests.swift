import CORS
import CORSHummingbird
import CORSObservability
import CORSTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MetricsTestKit
import Testing

@Suite("Logging and metrics of decisions")
struct ObservabilityTests {
    @Test func countersAndTimersByDecisionKind() async throws {
        let metrics = TestMetrics()
        let router = Router()
        router.add(
            middleware: CORSPolicyMiddleware(
                source: .fixed(CORSPolicyTable(.tutorial)), recorder: CORSDecisionRecorder(metricsFactory: metrics)))
        router.get("me") { _, _ in Response(status: .ok) }
        try await Application(router: router).test(.router) { client in
            let trusted = "https://app.example.com"
            _ = try await client.execute(uri: "/me", method: .get, headers: [.origin: trusted])
            _ = try await client.execute(uri: "/me", method: .get, headers: [.origin: trusted])
            _ = try await client.execute(uri: "/me", method: .get, headers: [.origin: "https://evil.example"])
            _ = try await client.execute(uri: "/me", method: .get)  // not CORS: not counted
            _ = try await client.execute(
                uri: "/me", method: .options, headers: [.origin: trusted, .accessControlRequestMethod: "PATCH"])
            _ = try await client.execute(
                uri: "/me", method: .options,
                headers: [.origin: trusted, .accessControlRequestMethod: "PUT", .accessControlRequestHeaders: "x-custom"])
            _ = try await client.execute(
                uri: "/me", method: .options, headers: [.origin: trusted, .accessControlRequestMethod: "PUT"])
        }
        func count(_ kind: String, _ decision: String, _ reason: String) -> Int64 {
            metrics.counterTotal(
                label: "cors_requests_total", dimensions: [("kind", kind), ("decision", decision), ("reason", reason)])
        }
        #expect(count("actual", "allowed", "none") == 2)
        #expect(count("actual", "denied", "origin") == 1)
        #expect(count("preflight", "denied", "method") == 1)
        #expect(count("preflight", "denied", "header") == 1)
        #expect(count("preflight", "allowed", "none") == 1)
        #expect(metrics.counterTotal(label: "cors_requests_total") == 6)
        let timer = try metrics.expectTimer("cors_decision_duration", [("kind", "actual"), ("decision", "allowed")])
        #expect(timer.values.count == 2)
    }

    @Test("every kind of denial has its own counter, labelled as the engine labels it")
    func everyDenialKindIsCounted() {
        let metrics = TestMetrics()
        _ = CORSDecisionRecorder(metricsFactory: metrics)
        for kind in ["preflight", "actual"] {
            let reasons = metrics.counters.filter { $0.label == "cors_requests_total" }
                .filter { $0.dimensions.contains { $0 == ("kind", kind) } }
                .compactMap { counter in counter.dimensions.first { $0.0 == "reason" }?.1 }
            #expect(reasons.sorted() == (["none"] + CORSDenialReason.Kind.allCases.map(\.label)).sorted())
        }
        #expect(Set(CORSDenialReason.Kind.allCases.map(\.label)).count == CORSDenialReason.Kind.allCases.count)
    }

    @Test func allowedDecisionsAreLoggedOnlyWhenAskedFor() async throws {
        for logsAllowed in [false, true] {
            let logs = LogCapture()
            let router = Router()
            router.add(middleware: CORSPolicyMiddleware(policy: .tutorial, logsAllowedDecisions: logsAllowed))
            router.get("me") { _, _ in Response(status: .ok) }
            try await Application(router: router, logger: logs.logger()).test(.router) { client in
                _ = try await client.execute(uri: "/me", method: .get, headers: [.origin: "https://app.example.com"])
                _ = try await client.execute(
                    uri: "/me", method: .options,
                    headers: [.origin: "https://app.example.com", .accessControlRequestMethod: "PATCH"])
            }
            let cors = logs.entries.filter { $0.message.hasPrefix("CORS ") }
            let expected =
                (logsAllowed ? ["CORS actual request allowed"] : [])
                + [#"CORS preflight request denied: method "PATCH" is not in allowMethods"#]
            #expect(cors.map(\.message) == expected)
            #expect(cors.allSatisfy { $0.level == .debug })
            #expect(cors.last?.metadata["cors.origin"] == "https://app.example.com")
            #expect(cors.last?.metadata["http.path"] == "/me")
        }
    }
}
