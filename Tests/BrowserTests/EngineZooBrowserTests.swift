import CORSBrowserModel
import Foundation
import Testing

/// Every case of ``MatrixCase/all`` in Chromium, Firefox and WebKit, one engine after another,
/// against the same matrix server. For each engine and case the verdict (allowed with the
/// status the page read, or blocked) and the exact console lines of level error the engine
/// printed must equal `Tests/EngineFixtures/engine-console.json`, and the verdict must equal Chromium's
/// measured one (``MatrixCase/chromium``). `CORS_RECORD_ENGINE_FIXTURES=1` rewrites the
/// fixtures from what the engines do instead of comparing.
///
/// Firefox runs headless over WebDriver BiDi; WebKit (WebKitGTK's MiniBrowser) under Xvfb over
/// WebDriver, with its console read from a plain MiniBrowser per case. A missing engine skips
/// its suite, except under `CI=true` or `CORS_REQUIRE_ENGINES=1`, where it fails.
@Suite("Engine zoo: Chromium, Firefox and WebKit on every matrix case", .serialized, .engineZooEnvironment)
struct EngineZooBrowserTests {
    @Suite("Chromium", .runningEngine(.chromium))
    struct Chromium {
        @Test("verdict and console lines", .timeLimit(.minutes(5)), arguments: MatrixCase.all)
        func zoo(_ matrixCase: MatrixCase) async throws { try await EngineZoo.check(matrixCase) }

        @Test("preflight cache", .timeLimit(.minutes(3)), arguments: PreflightCacheCase.all)
        func preflightCache(_ cacheCase: PreflightCacheCase) async throws { try await EngineZoo.check(cacheCase) }

        @Test("HAR of a session, from DevTools Network events", .timeLimit(.minutes(3)))
        func har() async throws { try await EngineZoo.checkHAR() }

        @Test("cross-site cookies", .timeLimit(.minutes(2)))
        func crossSiteCookies() async throws { try await EngineZoo.checkCrossSiteCookies() }
    }

    @Suite("Firefox", .enabled(if: EngineBinaries.runFirefox, EngineBinaries.firefoxMissing), .runningEngine(.firefox))
    struct Firefox {
        @Test("verdict and console lines", .timeLimit(.minutes(5)), arguments: MatrixCase.all)
        func zoo(_ matrixCase: MatrixCase) async throws { try await EngineZoo.check(matrixCase) }

        @Test("preflight cache", .timeLimit(.minutes(3)), arguments: PreflightCacheCase.all)
        func preflightCache(_ cacheCase: PreflightCacheCase) async throws { try await EngineZoo.check(cacheCase) }

        @Test("HAR of a session, from BiDi network events", .timeLimit(.minutes(3)))
        func har() async throws { try await EngineZoo.checkHAR() }

        @Test("cross-site cookies", .timeLimit(.minutes(2)))
        func crossSiteCookies() async throws { try await EngineZoo.checkCrossSiteCookies() }
    }

    @Suite("WebKit", .enabled(if: EngineBinaries.runWebKit, EngineBinaries.webKitMissing), .runningEngine(.webkit))
    struct WebKit {
        @Test("verdict and console lines", .timeLimit(.minutes(5)), arguments: MatrixCase.all)
        func zoo(_ matrixCase: MatrixCase) async throws { try await EngineZoo.check(matrixCase) }

        @Test("preflight cache", .timeLimit(.minutes(3)), arguments: PreflightCacheCase.all)
        func preflightCache(_ cacheCase: PreflightCacheCase) async throws { try await EngineZoo.check(cacheCase) }

        @Test("cross-site cookies", .timeLimit(.minutes(2)))
        func crossSiteCookies() async throws { try await EngineZoo.checkCrossSiteCookies() }
    }
}

/// The checks the engine suites share.
enum EngineZoo {
    /// Runs `matrixCase` in the current engine and compares with Chromium's measured verdict
    /// and with the fixture (or records the fixture).
    static func check(_ matrixCase: MatrixCase, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let environment = try #require(EngineZooEnvironment.current, "the suite trait starts the servers")
        let running = try #require(RunningEngine.current, "the suite trait starts the engine")
        let engine = running.engine
        let id = matrixCase.id
        let hosts = environment.hosts

        var outcome = try await running.fetch(matrixCase.fetchRequest(hosts))
        if let consoleRun = try await running.consoleRun(matrixCase, in: environment) {
            #expect(
                consoleRun.status == outcome.status,
                "\(engine): the MiniBrowser page and the WebDriver session disagree on \(id): \(consoleRun) vs \(outcome)",
                sourceLocation: sourceLocation)
            outcome = EngineOutcome(status: outcome.status, scriptError: outcome.scriptError, console: consoleRun.console)
        }
        let measured = EngineRecord(
            allowed: outcome.isAllowed, status: outcome.status,
            console: outcome.console.map { EngineFixtures.placeholders($0, hosts: hosts) })

        // 1. The same verdict as Chromium's measured one (a network error is a rejection too).
        let chromiumStatus: Int? = if case .allowed(let status) = matrixCase.chromium { status } else { nil }
        #expect(
            measured.status == chromiumStatus,
            "\(engine) and Chromium disagree on \(id): \(engine) \(measured), Chromium \(matrixCase.chromium)",
            sourceLocation: sourceLocation)
        // 2. A blocked request is explained on the console; an allowed one is not.
        if case .blocked = matrixCase.chromium {
            #expect(!measured.console.isEmpty, "\(engine) printed no console error for \(id)", sourceLocation: sourceLocation)
        }

        // 3. Exactly the recorded lines.
        if EngineFixtures.console.isRecording {
            try EngineFixtures.console.record(id, engine, measured)
            return
        }
        let expected = try #require(
            try EngineFixtures.console.expected(id, engine),
            "no \(engine) entry for \(id) in Tests/EngineFixtures/engine-console.json: run with CORS_RECORD_ENGINE_FIXTURES=1 to record one. Measured: \(measured)",
            sourceLocation: sourceLocation)
        #expect(measured == expected, "\(engine) on \(id): measured \(measured), recorded \(expected)", sourceLocation: sourceLocation)
    }

    /// Sends `cacheCase`'s request twice and counts the preflights the server received.
    static func check(_ cacheCase: PreflightCacheCase, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let environment = try #require(EngineZooEnvironment.current, "the suite trait starts the servers")
        let running = try #require(RunningEngine.current, "the suite trait starts the engine")
        let engine = running.engine
        let matrixCase = cacheCase.matrixCase
        let request = matrixCase.fetchRequest(environment.hosts)

        let before = environment.preflightCount(matrixCase)
        let first = try await running.fetch(request)
        if cacheCase.pause > .zero { try await Task.sleep(for: cacheCase.pause) }
        let second = try await running.fetch(request)
        let measured = PreflightCacheRecord(
            preflights: environment.preflightCount(matrixCase) - before, statuses: [first.status, second.status])
        #expect(first.status == 200, "\(engine): the first request of \(cacheCase.id) is not allowed: \(first)", sourceLocation: sourceLocation)

        if EngineFixtures.preflightCache.isRecording {
            try EngineFixtures.preflightCache.record(cacheCase.id, engine, measured)
            return
        }
        let expected = try #require(
            try EngineFixtures.preflightCache.expected(cacheCase.id, engine),
            "no \(engine) entry for \(cacheCase.id) in Tests/EngineFixtures/preflight-cache.json: run with CORS_RECORD_ENGINE_FIXTURES=1. Measured: \(measured)",
            sourceLocation: sourceLocation)
        #expect(measured == expected, "\(engine) on \(cacheCase.id): measured \(measured), recorded \(expected)", sourceLocation: sourceLocation)
    }

    /// Runs ``CrossSiteCookieScenario`` and compares the cookies that reached the API with
    /// `Tests/EngineFixtures/cross-site-cookies.json` (or records them), and with what the
    /// engine's profile predicts for each cookie (``CrossSiteCookieScenario/mispredictions(_:_:)``).
    static func checkCrossSiteCookies(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let environment = try #require(EngineZooEnvironment.current, "the suite trait starts the servers")
        let running = try #require(RunningEngine.current, "the suite trait starts the engine")
        let engine = running.engine
        let measured = try await CrossSiteCookieScenario.run(in: running, pageOrigin: environment.hosts.pageOrigin)
        print("[engine zoo] \(engine) cross-site cookies: \(measured)")
        let profile = try #require(BrowserEngine(rawValue: engine.rawValue)).profile
        let mispredictions = CrossSiteCookieScenario.mispredictions(profile, measured)
        #expect(mispredictions.isEmpty, "\(engine): the profile's cookie verdicts differ from the engine: \(mispredictions)", sourceLocation: sourceLocation)

        let fixture = EngineFixtures.crossSiteCookies
        if fixture.isRecording {
            try fixture.record(CrossSiteCookieScenario.caseID, engine, measured)
            return
        }
        let expected = try #require(
            try fixture.expected(CrossSiteCookieScenario.caseID, engine),
            "no \(engine) entry in Tests/EngineFixtures/cross-site-cookies.json: run with CORS_RECORD_ENGINE_FIXTURES=1. Measured: \(measured)",
            sourceLocation: sourceLocation)
        #expect(measured == expected, "\(engine) cross-site cookies: measured \(measured), recorded \(expected)", sourceLocation: sourceLocation)
    }

    /// The zoo cases in the recorded HAR files: allowed and blocked, simple and preflighted.
    static let harCases = [
        "acao-exact", "acao-missing", "acao-wildcard-credentials", "status-500-without-acao", "preflight-ok",
        "preflight-method-missing", "preflight-404-without-acao", "preflight-header-missing", "redirect-without-acao",
    ]

    /// Runs ``harCases`` (each URL with `?har`, so that no preflight comes from the cache) and
    /// builds a HAR log from the engine's network events: every blocked request carries
    /// `_error` (or, in Firefox, the response that failed the check), every allowed one its
    /// status, and every preflight is recognisable (Chrome's `_initiator.type`, Firefox's
    /// `OPTIONS` with `Access-Control-Request-Method`).
    /// `CORS_RECORD_ENGINE_FIXTURES=1` writes it to `Tests/EngineFixtures/har/ENGINE-zoo.har`.
    static func checkHAR() async throws {
        let environment = try #require(EngineZooEnvironment.current, "the suite trait starts the servers")
        let running = try #require(RunningEngine.current, "the suite trait starts the engine")
        let engine = running.engine
        let cases = harCases.compactMap { id in MatrixCase.all.first { $0.id == id } }
        try #require(cases.count == harCases.count, "every HAR case is a zoo case")

        let mark = running.networkMark
        var requests: [(MatrixCase, FetchRequest)] = []
        for matrixCase in cases {
            var request = matrixCase.fetchRequest(environment.hosts)
            request.url += "?har"
            _ = try await running.fetch(request)
            requests.append((matrixCase, request))
        }
        let entries = try #require(running.harEntries(since: mark), "\(engine) reports no network events")

        for (matrixCase, request) in requests {
            let main = entries.filter { $0.url == request.url && $0.method == request.method.uppercased() }
            let first = try #require(main.first, "\(engine): no HAR entry for \(request)")
            let isPreflight: (HAREntry) -> Bool = { entry in
                // Chrome marks preflights; in Firefox's log a preflight is an OPTIONS with ACRM.
                entry.url == request.url && entry.method == "OPTIONS"
                    && (engine == .chromium
                        ? entry.extras["_initiator"]?["type"]?.string == "preflight"
                        : entry.requestHeaders.contains { $0.name.lowercased() == "access-control-request-method" })
            }
            if case .allowed(let status) = matrixCase.chromium {
                #expect(first.status == status && first.extras["_error"] == nil, "\(engine) HAR of \(matrixCase.id): \(first)")
            } else if engine == .firefox && first.status != 0 {
                // Firefox reports a response that fails the CORS check as completed, without
                // an error: the HAR shows the response, and the reader must judge its headers.
                #expect(first.extras["_error"] == nil, "\(engine) HAR of \(matrixCase.id): \(first)")
            } else {
                #expect(main.contains { $0.extras["_error"] != nil }, "\(engine) HAR of \(matrixCase.id) has no _error: \(main)")
            }
            #expect(
                entries.contains(where: isPreflight) == (matrixCase.preflight != nil),
                "\(engine) HAR of \(matrixCase.id): preflight entries \(entries.filter { $0.url == request.url && $0.method == "OPTIONS" })")
        }

        if EngineFixtures.console.isRecording {
            let har = HARLog(browserName: engine.rawValue, browserVersion: await running.version, entries: entries)
            let directory = EngineFixtures.directory.appendingPathComponent("har", isDirectory: true)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try har.data.write(to: directory.appendingPathComponent("\(engine)-zoo.har"), options: .atomic)
        }
    }
}
