import CORS
import CORSObservability
import CORSVapor
import Foundation
import MetricsTestKit
import Synchronization
import Testing
import VaporTesting

/// Issue 9 on Vapor: origin predicates (through the task path of the future-based middleware),
/// a live policy store replaced while requests run, and metrics.
@Suite("Vapor: dynamic origins, live reload and metrics")
struct DynamicReloadMetricsTests {
    struct StoreDown: Error {}

    static func withApp<T>(_ middleware: CORSPolicyMiddleware, _ body: (Application) async throws -> T) async throws -> T {
        let app = try await Application.make(.testing, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        app.middleware.use(cors: middleware)
        app.get("me") { _ in "alice" }
        do {
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    @Test func predicateTrustsTenantsAndAFailingPredicateDenies() async throws {
        let lookups = Mutex(0)
        let tenants = try CORSPolicy(
            allowOrigins: ["https://app.example.com"], allowCredentials: true,
            originPredicate: .async { origin in
                lookups.withLock { $0 += 1 }
                if origin == "https://broken.example.net" { throw StoreDown() }
                return origin == "https://acme.example.net"
            })
        try await Self.withApp(CORSPolicyMiddleware(policy: tenants)) { app in
            let tester = try app.testing()
            let acme = try await tester.sendRequest(.GET, "/me", headers: ["Origin": "https://acme.example.net"])
            #expect(acme.headers.first(name: "Access-Control-Allow-Origin") == "https://acme.example.net")
            #expect(acme.headers.first(name: "Vary") == "Origin")
            let other = try await tester.sendRequest(.GET, "/me", headers: ["Origin": "https://other.example.net"])
            #expect(other.headers.first(name: "Access-Control-Allow-Origin") == nil)
            let broken = try await tester.sendRequest(
                .OPTIONS, "/me",
                headers: ["Origin": "https://broken.example.net", "Access-Control-Request-Method": "PUT"])
            #expect(broken.status == .forbidden)
            #expect(broken.headers.first(name: "Access-Control-Allow-Origin") == nil)
            let again = try await tester.sendRequest(.GET, "/me", headers: ["Origin": "https://acme.example.net"])
            #expect(again.headers.first(name: "Access-Control-Allow-Origin") == "https://acme.example.net")
        }
        // acme cached after its first lookup; other and broken asked once each.
        #expect(lookups.withLock { $0 } == 3)
    }

    @Test func storeReplacementTakesEffectAndEveryResponseIsOneWholePolicy() async throws {
        let old = try CORSPolicy(allowOrigins: ["https://app.example.com"], exposeHeaders: ["X-Old"])
        let new = try CORSPolicy(allowOrigins: ["https://app.example.com"], exposeHeaders: ["X-New"], maxAge: 60)
        let store = CORSPolicyStore(CORSPolicyTable(old))
        try await Self.withApp(CORSPolicyMiddleware(store: store)) { app in
            let tester = try app.testing()
            var seen: Set<String> = []
            for index in 0..<200 {
                if index.isMultiple(of: 7) { store.replace(with: CORSPolicyTable(index.isMultiple(of: 2) ? new : old)) }
                let response = try await tester.sendRequest(.GET, "/me", headers: ["Origin": "https://app.example.com"])
                seen.insert(response.headers["Access-Control-Expose-Headers"].joined(separator: "|"))
            }
            #expect(seen == ["X-Old", "X-New"])
            store.replace(with: CORSPolicyTable(new))
            let preflight = try await tester.sendRequest(
                .OPTIONS, "/me", headers: ["Origin": "https://app.example.com", "Access-Control-Request-Method": "GET"])
            #expect(preflight.headers.first(name: "Access-Control-Max-Age") == "60")
        }
    }

    @Test func decisionsAreCounted() async throws {
        let metrics = TestMetrics()
        let middleware = CORSPolicyMiddleware(
            source: .fixed(CORSPolicyTable(.tutorial)), recorder: CORSDecisionRecorder(metricsFactory: metrics))
        try await Self.withApp(middleware) { app in
            let tester = try app.testing()
            _ = try await tester.sendRequest(.GET, "/me", headers: ["Origin": "https://app.example.com"])
            _ = try await tester.sendRequest(.GET, "/me", headers: ["Origin": "https://evil.example"])
            _ = try await tester.sendRequest(
                .OPTIONS, "/me", headers: ["Origin": "https://app.example.com", "Access-Control-Request-Method": "PATCH"])
        }
        func count(_ kind: String, _ decision: String, _ reason: String) -> Int64 {
            metrics.counterTotal(
                label: "cors_requests_total", dimensions: [("kind", kind), ("decision", decision), ("reason", reason)])
        }
        #expect(count("actual", "allowed", "none") == 1)
        #expect(count("actual", "denied", "origin") == 1)
        #expect(count("preflight", "denied", "method") == 1)
    }
}
