import CORSBrowserModel
import Testing

/// The engine profiles' cookie verdicts against what the real engines did
/// (`Tests/EngineFixtures/cross-site-cookies.json`, recorded by the engine zoo's "cross-site
/// cookies" tests): for every cookie of ``ScenarioCookie/all``, set on a top-level visit of the
/// API and by the API's answer to a credentialed cross-site `fetch`, the profile's
/// ``EngineProfile/crossSiteCookieVerdict(for:setIn:)`` says "sent cross-site" exactly when the
/// engine sent it, and "rejected" only when the engine sent it nowhere.
@Suite("Engine profiles: cross-site cookies as measured")
struct CrossSiteCookieFixtureTests {
    @Test("every engine is recorded, and its profile predicts every cookie", arguments: BrowserEngine.allCases)
    func verdicts(_ engine: BrowserEngine) throws {
        let recorded = try EngineFixtures.crossSiteCookies.load()[CrossSiteCookieScenario.caseID] ?? [:]
        let record = try #require(recorded[engine.rawValue], "\(engine) is recorded")
        #expect(CrossSiteCookieScenario.mispredictions(engine.profile, record) == [])
    }
}
