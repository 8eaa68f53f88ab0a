import Foundation
import Testing

/// One engine started for a suite, driven the way the zoo drives it: Chromium over the DevTools
/// protocol, Firefox over WebDriver BiDi, WebKit over WebDriver (verdicts) plus one plain
/// MiniBrowser per case (console lines).
enum RunningEngine: Sendable {
    case chromium(Browser, BrowserPage)
    case firefox(FirefoxBrowser)
    case webkit(XvfbDisplay, WebKitDriver, MiniBrowserConsole)

    @TaskLocal static var current: RunningEngine?

    /// Starts `engine` with a tab on the environment's blank page.
    static func start(_ engine: Engine, in environment: EngineZooEnvironment) async throws -> RunningEngine {
        switch engine {
        case .chromium:
            let browser = try await Browser.launch()
            do {
                return .chromium(browser, try await browser.openPage(environment.blankPage))
            } catch {
                await browser.shutdown()
                throw error
            }
        case .firefox:
            let browser = try await FirefoxBrowser.launch()
            do {
                try await browser.navigate(to: environment.blankPage)
                return .firefox(browser)
            } catch {
                await browser.shutdown()
                throw error
            }
        case .webkit:
            let display = try await XvfbDisplay.start()
            do {
                let console = try MiniBrowserConsole(display: display)
                do {
                    let driver = try await WebKitDriver.launch(display: display)
                    do {
                        try await driver.navigate(to: environment.blankPage)
                        return .webkit(display, driver, console)
                    } catch {
                        await driver.shutdown()
                        throw error
                    }
                } catch {
                    console.remove()
                    throw error
                }
            } catch {
                display.stop()
                throw error
            }
        }
    }

    var engine: Engine {
        switch self {
        case .chromium: .chromium
        case .firefox: .firefox
        case .webkit: .webkit
        }
    }

    /// The engine's version, as its automation protocol reports it.
    var version: String {
        get async {
            switch self {
            case .chromium(let browser, _):
                (try? await browser.devTools.send("Browser.getVersion"))?["product"]?.string ?? "?"
            case .firefox(let browser): browser.version
            case .webkit(_, let driver, _): driver.version
            }
        }
    }

    /// Runs `request` in the driven tab. The console lines come with it for Chromium and
    /// Firefox; WebKit's are empty (see ``consoleRun(_:in:)``).
    func fetch(_ request: FetchRequest) async throws -> EngineOutcome {
        switch self {
        case .chromium(_, let page):
            let outcome = try await page.fetch(request)
            return EngineOutcome(status: outcome.status, scriptError: outcome.scriptError, console: outcome.consoleMessages)
        case .firefox(let browser):
            return try await browser.fetch(request)
        case .webkit(_, let driver, _):
            return try await driver.fetch(request)
        }
    }

    /// WebKit only: `matrixCase` run by its page in a plain MiniBrowser, with the console lines
    /// WebKit wrote. `nil` for the other engines, whose tabs report their console.
    func consoleRun(_ matrixCase: MatrixCase, in environment: EngineZooEnvironment) async throws -> EngineOutcome? {
        guard case .webkit(_, _, let console) = self else { return nil }
        return try await console.run(environment.runPage(matrixCase))
    }

    /// A mark in the engine's network events, for ``harEntries(since:)``.
    var networkMark: Int {
        switch self {
        case .chromium(_, let page): page.networkEventCount
        case .firefox(let browser): browser.eventCount
        case .webkit: 0
        }
    }

    /// HAR entries of the requests since the mark, from the engine's own network events;
    /// `nil` for WebKit, whose WebDriver reports no network events.
    func harEntries(since mark: Int) -> [HAREntry]? {
        switch self {
        case .chromium(_, let page): ChromiumHAR.entries(page.networkEvents(since: mark))
        case .firefox(let browser): FirefoxHAR.entries(browser.networkEvents(since: mark))
        case .webkit: nil
        }
    }

    func stop() async {
        switch self {
        case .chromium(let browser, let page):
            await page.close()
            await browser.shutdown()
        case .firefox(let browser):
            await browser.shutdown()
        case .webkit(let display, let driver, let console):
            await driver.shutdown()
            console.remove()
            display.stop()
        }
    }
}

/// Starts one engine for a suite (inside an ``EngineZooEnvironment``) and stops it after the
/// suite's last test, so that the engines of sibling suites run one after another.
struct RunningEngineTrait: SuiteTrait, TestScoping {
    let engine: Engine
    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let environment = try #require(EngineZooEnvironment.current, "the engine zoo's servers run around this suite")
        let started = ContinuousClock.now
        let running = try await RunningEngine.start(engine, in: environment)
        let version = await running.version
        print("[engine zoo] \(engine) \(version) started in \(ContinuousClock.now - started)")
        do {
            try await RunningEngine.$current.withValue(running) { try await function() }
        } catch {
            await running.stop()
            throw error
        }
        await running.stop()
        print("[engine zoo] \(engine) ran its suite in \(ContinuousClock.now - started)")
    }
}

extension Trait where Self == RunningEngineTrait {
    /// `engine`, started for this suite.
    static func runningEngine(_ engine: Engine) -> Self { Self(engine: engine) }
}
