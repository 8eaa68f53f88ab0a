import CORS
import CORSHummingbird
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Live reload through the Hummingbird middleware")
struct LiveReloadTests {
    static let origin = "https://app.example.com"
    static let old = try! CORSPolicy(
        allowOrigins: [origin], allowCredentials: true, allowMethods: ["PUT"], exposeHeaders: ["X-Old"], maxAge: 60)
    static let new = try! CORSPolicy(
        allowOrigins: [origin, "https://new.example.com"], allowMethods: ["PATCH"], exposeHeaders: ["X-New"], maxAge: 120)

    /// The Access-Control-* fields one policy gives, as `name: value` lines.
    static func expectedActual(_ policy: CORSPolicy) -> [String] {
        CORSEngine(policy: policy).decide(HTTPRequest(method: .get, scheme: "https", authority: "api", path: "/me", headerFields: [.origin: origin]))
            .headerFields.map { "\($0.name.canonicalName): \($0.value)" }.sorted()
    }

    static func expectedPreflight(_ policy: CORSPolicy) -> [String] {
        CORSEngine(policy: policy).decide(
            HTTPRequest(
                method: .options, scheme: "https", authority: "api", path: "/me",
                headerFields: [.origin: origin, .accessControlRequestMethod: "PUT"])
        ).preflightResponse().headerFields.map { "\($0.name.canonicalName): \($0.value)" }.sorted()
    }

    static func corsLines(_ fields: HTTPFields) -> [String] {
        fields.filter { $0.name.canonicalName.hasPrefix("access-control-") || $0.name == .vary }
            .map { "\($0.name.canonicalName): \($0.value)" }.sorted()
    }

    @Test func everyResponseUnderConcurrentReloadsIsEntirelyOldOrEntirelyNew() async throws {
        let store = CORSPolicyStore(CORSPolicyTable(Self.old))
        let router = Router()
        router.add(middleware: CORSPolicyMiddleware(store: store))
        router.get("me") { _, _ in Response(status: .ok) }
        let app = Application(router: router)
        let allowedActual = [Self.expectedActual(Self.old), Self.expectedActual(Self.new)]
        let allowedPreflight = [Self.expectedPreflight(Self.old), Self.expectedPreflight(Self.new)]
        #expect(allowedActual[0] != allowedActual[1])
        #expect(allowedPreflight[0] != allowedPreflight[1])

        try await app.test(.router) { client in
            try await withThrowingTaskGroup(of: [String].self) { group in
                group.addTask {
                    for index in 0..<400 {
                        store.replace(with: CORSPolicyTable(index.isMultiple(of: 2) ? Self.new : Self.old))
                        await Task.yield()
                    }
                    return []
                }
                for worker in 0..<4 {
                    group.addTask {
                        var mixtures: [String] = []
                        for index in 0..<150 {
                            let isPreflight = (index + worker).isMultiple(of: 2)
                            let headers: HTTPFields =
                                isPreflight ? [.origin: Self.origin, .accessControlRequestMethod: "PUT"] : [.origin: Self.origin]
                            let lines = try await client.execute(
                                uri: "/me", method: isPreflight ? .options : .get, headers: headers
                            ) { Self.corsLines($0.headers) }
                            if !(isPreflight ? allowedPreflight : allowedActual).contains(lines) {
                                mixtures.append(lines.joined(separator: " | "))
                            }
                        }
                        return mixtures
                    }
                }
                var mixtures: [String] = []
                for try await result in group { mixtures += result }
                #expect(mixtures == [])
            }
        }
    }

    @Test func anInvalidNewPolicyIsRefusedWholeAndTheOldOneStays() async throws {
        let store = CORSPolicyStore(CORSPolicyTable(Self.old))
        let result = store.reload {
            CORSPolicyTable(try CORSPolicy(allowOrigins: ["*"], allowCredentials: true, maxAge: -1))
        }
        guard case .failure(let error as CORSPolicyError) = result else {
            Issue.record("expected the reload to be refused")
            return
        }
        #expect(error.problems.map(\.code) == [.wildcardWithCredentials, .maxAgeOutOfRange])
        #expect(store.current.defaultEngine.policy == Self.old)
    }
}
