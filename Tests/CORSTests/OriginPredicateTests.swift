import HTTPTypes
import Synchronization
import Testing

@testable import CORS

@Suite("Origin predicates (dynamic origins)")
struct OriginPredicateTests {
    final class CallCounter: Sendable {
        let calls = Mutex<[String]>([])
        func record(_ origin: String) { calls.withLock { $0.append(origin) } }
        var count: Int { calls.withLock { $0.count } }
        var origins: [String] { calls.withLock { $0 } }
    }

    struct StoreDown: Error, CustomStringConvertible {
        var description: String { "database unavailable" }
    }

    static func engine(_ predicate: CORSOriginPredicate, credentials: Bool = true) throws -> CORSEngine {
        CORSEngine(
            policy: try CORSPolicy(
                allowOrigins: ["https://app.example.com"], allowCredentials: credentials,
                allowMethods: ["PUT"], originPredicate: predicate))
    }

    @Test func predicateTrustsOriginsTheStaticRulesDoNotKnow() async throws {
        let engine = try Self.engine(.sync { $0 == "https://tenant.example.net" })
        let decision = await engine.decide(actual(origin: "https://tenant.example.net"))
        #expect(decision.outcome == .actualAllowed)
        #expect(decision.headerFields[.accessControlAllowOrigin] == "https://tenant.example.net")
        #expect(decision.headerFields[.accessControlAllowCredentials] == "true")
        #expect(decision.headerFields[.vary] == "Origin")

        let denied = await engine.decide(actual(origin: "https://other.example.net"))
        #expect(denied.outcome == .actualDenied(.originNotAllowed(origin: "https://other.example.net")))
        #expect(denied.headerFields[.accessControlAllowOrigin] == nil)
        #expect(denied.headerFields[.vary] == "Origin")
    }

    @Test func synchronousDecideIgnoresThePredicate() throws {
        let engine = try Self.engine(.sync { _ in true })
        let decision = engine.decide(actual(origin: "https://tenant.example.net"))
        #expect(decision.outcome == .actualDenied(.originNotAllowed(origin: "https://tenant.example.net")))
    }

    @Test func predicateIsNotConsultedForStaticallyTrustedOrigins() async throws {
        let counter = CallCounter()
        let engine = try Self.engine(.sync { counter.record($0); return false })
        let decision = await engine.decide(actual(origin: "https://app.example.com"))
        #expect(decision.outcome == .actualAllowed)
        #expect(counter.count == 0)
    }

    @Test(arguments: [
        "null", "https://Tenant.example.net", "https://tenant.example.net/", "https://tenant.example.net:443",
        "tenant.example.net", "https://tenant.example.net/path", String(repeating: "a", count: 5000),
        "https://tenant\u{0}.example.net",
    ])
    func malformedOriginsNeverReachThePredicate(origin: String) async throws {
        let counter = CallCounter()
        let engine = try Self.engine(.sync { counter.record($0); return true })
        let decision = await engine.decide(actual(origin: origin))
        #expect(!decision.isAllowed)
        #expect(counter.count == 0)
    }

    @Test func answersAreCachedWithABoundedSize() async throws {
        let counter = CallCounter()
        let engine = try Self.engine(
            .async(cache: .init(maximumEntries: 2, lifetime: .seconds(60))) { counter.record($0); return true })
        for _ in 0..<3 { _ = await engine.decide(actual(origin: "https://a.example.net")) }
        #expect(counter.count == 1)
        _ = await engine.decide(actual(origin: "https://b.example.net"))
        _ = await engine.decide(actual(origin: "https://c.example.net"))
        #expect(counter.count == 3)
        for index in 0..<50 { _ = await engine.decide(actual(origin: "https://t\(index).example.net")) }
        #expect(engine.compiled.predicate?.cachedEntryCount == 2)
    }

    @Test func cachedAnswersExpire() async throws {
        let counter = CallCounter()
        let engine = try Self.engine(
            .async(cache: .init(maximumEntries: 10, lifetime: .milliseconds(50))) { counter.record($0); return true })
        _ = await engine.decide(actual(origin: "https://a.example.net"))
        try await Task.sleep(for: .milliseconds(120))
        _ = await engine.decide(actual(origin: "https://a.example.net"))
        #expect(counter.count == 2)
    }

    @Test func throwingPredicateDeniesAndSaysWhy() async throws {
        let engine = try Self.engine(.async { _ in throw StoreDown() })
        let decision = await engine.decide(actual(origin: "https://tenant.example.net"))
        guard case .actualDenied(.originPredicateFailed(let origin, let failure)) = decision.outcome else {
            Issue.record("expected a predicate failure, got \(decision.outcome)")
            return
        }
        #expect(origin == "https://tenant.example.net")
        #expect(failure.description == "the origin predicate threw: database unavailable")
        #expect(decision.headerFields[.accessControlAllowOrigin] == nil)
    }

    @Test func slowPredicateTimesOutAndDenies() async throws {
        let engine = try Self.engine(
            .async(timeout: .milliseconds(50)) { _ in
                try await Task.sleep(for: .seconds(10))
                return true
            })
        // The predicate would sleep 10 s; the decision returning at all, as a timeout, is the proof.
        let decision = await engine.decide(
            preflight(origin: "https://tenant.example.net", method: "PUT"))
        guard case .preflightDenied(.originPredicateFailed(_, let failure)) = decision.outcome else {
            Issue.record("expected a timeout, got \(decision.outcome)")
            return
        }
        #expect(failure.description.hasPrefix("the origin predicate timed out after"))
        #expect(decision.preflightResponse().status == .forbidden)
    }

    @Test func failuresAreNotCached() async throws {
        let counter = CallCounter()
        let engine = try Self.engine(.async { counter.record($0); throw StoreDown() })
        _ = await engine.decide(actual(origin: "https://tenant.example.net"))
        _ = await engine.decide(actual(origin: "https://tenant.example.net"))
        #expect(counter.count == 2)
    }

    @Test func aPolicyWithOnlyAPredicateIsValid() throws {
        let policy = try CORSPolicy(originPredicate: .sync { _ in false })
        #expect(policy.warnings.isEmpty)
        #expect(throws: CORSPolicyError.self) { try CORSPolicy() }
    }
}

@Suite("Per-route policy tables and the live policy store")
struct PolicyTableTests {
    static let account = CORSPolicy.tutorial
    static let publicAPI = try! CORSPolicy(allowOrigins: ["*"], allowMethods: ["GET"])

    @Test(arguments: [
        ("/public", true), ("/public/", true), ("/public/items/1", true), ("/publicity", false),
        ("/me", false), ("/", false), ("/api/public", false),
    ])
    func prefixesMatchWholeSegments(path: String, isPublic: Bool) {
        let table = CORSPolicyTable(default: Self.account, routes: ["/public/": Self.publicAPI])
        #expect((table.engine(forPath: path).policy == Self.publicAPI) == isPublic)
    }

    @Test func longestPrefixWins() throws {
        let narrow = try CORSPolicy(allowOrigins: ["https://admin.example.com"])
        let table = CORSPolicyTable(
            default: Self.account, routes: ["/api": Self.publicAPI, "/api/admin": narrow])
        #expect(table.engine(forPath: "/api/admin/users").policy == narrow)
        #expect(table.engine(forPath: "/api/items").policy == Self.publicAPI)
    }

    @Test func storeReplacesAtomicallyAndRefusesAnInvalidPolicyWhole() {
        let store = CORSPolicyStore(CORSPolicyTable(Self.account))
        let result = store.reload {
            CORSPolicyTable(try CORSPolicy(allowOrigins: ["*", "https://x.com/"], allowCredentials: true))
        }
        guard case .failure(let error as CORSPolicyError) = result else {
            Issue.record("expected the reload to fail")
            return
        }
        #expect(error.problems.map(\.code) == [.wildcardWithCredentials, .wildcardMixedWithOrigins, .originTrailingSlash])
        #expect(store.current.defaultEngine.policy == Self.account)

        store.reload { CORSPolicyTable(Self.publicAPI) }
        #expect(store.current.defaultEngine.policy == Self.publicAPI)
    }
}
