import CORSBrowserModel
import Foundation
import Testing

/// Local Network Access in the real engines: a page on `http://localhost:P`, declared public
/// (Chromium `--ip-address-space-overrides`, Firefox `network.lna.address_space.public.override`),
/// calls an API on `http://127.0.0.1:M`, before the user has answered the permission, after a
/// denial (Firefox; headless Chromium denies at once) and after a grant. What each engine did
/// must equal `Tests/EngineFixtures/local-network-access.json` (`CORS_RECORD_ENGINE_FIXTURES=1`
/// records it) and what its profile's ``EngineProfile/localNetworkAccessPolicy`` predicts.
/// WebKitGTK cannot declare a loopback page public, so it has no suite here (see
/// ``WebKitProfile/localNetworkAccess``).
@Suite("Local Network Access: a public page calls a loopback API", .serialized)
struct LocalNetworkAccessBrowserTests {
    @Test("Chromium: blocked until granted, then ordinary CORS", .timeLimit(.minutes(2)))
    func chromium() async throws {
        try await LocalNetworkAccessRun.with { run in
            let browser = try await Browser.launch(arguments: ["--ip-address-space-overrides=127.0.0.1:\(run.pagePort)=public"])
            do {
                let page = try await browser.openPage(run.origin + "/", isolated: false)
                let fetch: @Sendable (FetchRequest) async throws -> (String, [String]) = { request in
                    let outcome = try await page.fetch(request)
                    return (outcome.status.map { "allowed \($0)" } ?? "blocked", outcome.consoleMessages)
                }
                try await run.check(.chromium, "undecided-get", fetch)
                try await browser.devTools.send(
                    "Browser.grantPermissions", ["permissions": ["loopbackNetwork"], "origin": .string(run.origin)])
                try await run.check(.chromium, "granted-get", fetch)
                try await run.check(.chromium, "granted-put", fetch)
                await page.close()
            } catch {
                await browser.shutdown()
                throw error
            }
            await browser.shutdown()
        }
    }

    @Test(
        "Firefox: waits for the user, fails when denied, ordinary CORS when granted", .timeLimit(.minutes(2)),
        .enabled(if: EngineBinaries.runFirefox, EngineBinaries.firefoxMissing))
    func firefox() async throws {
        try await LocalNetworkAccessRun.with { run in
            let browser = try await FirefoxBrowser.launch(preferences: [
                "network.lna.address_space.public.override": "127.0.0.1:\(run.pagePort)"
            ])
            do {
                try await browser.navigate(to: run.origin + "/")
                let fetch: @Sendable (FetchRequest) async throws -> (String, [String]) = { request in
                    let mark = browser.eventCount
                    let pending = JSONValue.string(#"{"pending":true}"#).serialized
                    let millis = Int(LocalNetworkAccessScenario.pendingAfter.components.seconds * 1000)
                        + Int(LocalNetworkAccessScenario.pendingAfter.components.attoseconds / 1_000_000_000_000_000)
                    let value = try await browser.evaluateString(
                        "Promise.race([\(request.jsonScript), new Promise(resolve => setTimeout(() => resolve(\(pending)), \(millis)))])")
                    try await browser.settle(since: mark)
                    let outcome: String
                    if value.contains(#""pending":true"#) {
                        outcome = "pending"
                    } else {
                        outcome = try EngineOutcome.pageResult(value).status.map { "allowed \($0)" } ?? "blocked"
                    }
                    return (outcome, browser.consoleErrors(since: mark))
                }
                let setPermission: @Sendable (String) async throws -> Void = { state in
                    try await browser.send(
                        "permissions.setPermission",
                        ["descriptor": ["name": "loopback-network"], "state": .string(state), "origin": .string(run.origin)])
                }
                try await run.check(.firefox, "undecided-get", fetch)
                try await browser.navigate(to: run.origin + "/")
                try await setPermission("denied")
                try await run.check(.firefox, "denied-get", fetch)
                try await setPermission("granted")
                try await run.check(.firefox, "granted-get", fetch)
                try await run.check(.firefox, "granted-put", fetch)
            } catch {
                await browser.shutdown()
                throw error
            }
            await browser.shutdown()
        }
    }
}

/// The servers of one engine's run, and the comparison of each measured case.
struct LocalNetworkAccessRun: Sendable {
    let pagePort: Int
    let origin: String
    let api: String
    let log: RequestLog

    static func with(_ body: @Sendable (LocalNetworkAccessRun) async throws -> Void) async throws {
        let pages = try await PageServer.start()
        let log = RequestLog()
        let api: RunningServer
        do {
            api = try await LocalNetworkAccessScenario.startAPI(log: log)
        } catch {
            await pages.stop()
            throw error
        }
        let run = LocalNetworkAccessRun(
            pagePort: pages.port, origin: "http://localhost:\(pages.port)", api: "http://127.0.0.1:\(api.port)", log: log)
        do {
            try await body(run)
        } catch {
            await api.stop()
            await pages.stop()
            throw error
        }
        await api.stop()
        await pages.stop()
    }

    /// Runs `caseID`'s request with `fetch` and compares it with the fixture and the profile.
    func check(
        _ engine: Engine, _ caseID: String, _ fetch: @Sendable (FetchRequest) async throws -> (String, [String]),
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let mark = log.all.count
        let (outcome, console) = try await fetch(LocalNetworkAccessScenario.request(caseID, api: api))
        let measured = LocalNetworkAccessRecord(
            outcome: outcome, console: console.map { LocalNetworkAccessScenario.placeholders($0, api: api, origin: origin) },
            received: LocalNetworkAccessScenario.received(log, since: mark))
        print("[local network access] \(engine) \(caseID): \(measured)")
        let profile = try #require(BrowserEngine(rawValue: engine.rawValue)).profile
        let problems = LocalNetworkAccessScenario.mispredictions(profile, caseID: caseID, measured)
        #expect(problems.isEmpty, "\(engine) \(caseID): the profile's Local Network Access rules differ from the engine: \(problems)", sourceLocation: sourceLocation)
        let fixture = EngineFixtures.localNetworkAccess
        if fixture.isRecording {
            try fixture.record(caseID, engine, measured)
            return
        }
        let expected = try #require(
            try fixture.expected(caseID, engine),
            "no \(engine) entry for \(caseID) in Tests/EngineFixtures/local-network-access.json: run with CORS_RECORD_ENGINE_FIXTURES=1. Measured: \(measured)",
            sourceLocation: sourceLocation)
        #expect(measured == expected, "\(engine) \(caseID): measured \(measured), recorded \(expected)", sourceLocation: sourceLocation)
    }
}
