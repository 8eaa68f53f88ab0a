import CORSBrowserModel
import Testing

/// The engine profiles' Local Network Access rules against what Chromium and Firefox did
/// (`Tests/EngineFixtures/local-network-access.json`, recorded by
/// ``LocalNetworkAccessBrowserTests``): the outcome before an answer, after a denial and after a
/// grant, the requests the API received (none while not granted; no Private Network Access
/// header), and the console line of a denial.
@Suite("Engine profiles: Local Network Access as measured")
struct LocalNetworkAccessFixtureTests {
    @Test("every recorded case is what the profile predicts")
    func recorded() throws {
        let all = try EngineFixtures.localNetworkAccess.load()
        #expect(Set(all.keys) == ["undecided-get", "denied-get", "granted-get", "granted-put"])
        #expect(Set(all.values.flatMap(\.keys)) == ["chromium", "firefox"])
        for (caseID, engines) in all.sorted(by: { $0.key < $1.key }) {
            for (engine, record) in engines.sorted(by: { $0.key < $1.key }) {
                let profile = try #require(BrowserEngine(rawValue: engine)).profile
                #expect(LocalNetworkAccessScenario.mispredictions(profile, caseID: caseID, record) == [], "\(engine) \(caseID)")
            }
        }
    }

    @Test("Chromium's denial line reads back as Local Network Access")
    func chromiumLineReadsBack() throws {
        let line =
            "Access to fetch at 'http://127.0.0.1:8080/me' from origin 'http://localhost:5173' has been blocked by CORS policy: Permission was denied for this request to access the `loopback` address space."
        let reading = try #require(ConsoleMessageReader.read(line: line))
        #expect(reading.message.id == "LocalNetworkAccessPermissionDenied")
        #expect(reading.message.engine == .chromium)
    }
}
