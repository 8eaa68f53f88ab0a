import CORSBrowserModel
import Testing

/// The engine profiles' preflight-cache rules against what the real engines did
/// (`Tests/EngineFixtures/preflight-cache.json`, recorded by the engine zoo): a second identical
/// request sent at once reuses the preflight exactly when the profile gives the answer a lifetime
/// above zero, and one sent after 6 s exactly when the lifetime is longer than 6 s. `Authorization`
/// under `Access-Control-Allow-Headers: *` is the exception each profile names.
@Suite("Engine profiles: the preflight cache as measured")
struct EngineCacheFixtureTests {
    @Test("lifetimes agree with the recorded preflight counts", arguments: PreflightCacheCase.all.map(\.id))
    func lifetimes(_ caseID: String) throws {
        let cacheCase = try #require(PreflightCacheCase.all.first { $0.id == caseID })
        let recorded = try EngineFixtures.preflightCache.load()[caseID] ?? [:]
        #expect(recorded.count == 3, "\(caseID) is recorded for every engine")
        for engine in BrowserEngine.allCases {
            let measured = try #require(recorded[engine.rawValue], "\(caseID) \(engine)").preflights
            let policy = engine.profile.preflightCache
            let lifetime = policy.lifetime(headerValue: cacheCase.maxAge)
            let pause = Int(cacheCase.pause.components.seconds)
            var reused = lifetime > pause
            if cacheCase.headers.contains(where: { $0.0 == "Authorization" }) {
                reused = reused && !engine.profile.authorizationUnderWildcardRepreflights
            }
            #expect(measured == (reused ? 1 : 2), "\(engine) on \(caseID): lifetime \(lifetime) s, measured \(measured) preflights")
        }
    }
}
