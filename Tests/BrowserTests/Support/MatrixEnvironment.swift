import Foundation
import Testing

/// What the cross-check suite shares: one Chromium, one page on `http://localhost:P`, and the
/// matrix server on `http://127.0.0.1:M` (also reachable as `http://localhost:M`).
struct MatrixEnvironment: Sendable {
    @TaskLocal static var current: MatrixEnvironment?

    let browser: Browser
    let pages: RunningServer
    let server: RunningServer
    let page: BrowserPage
    let hosts: MatrixHosts
    let log: RequestLog

    static func start() async throws -> MatrixEnvironment {
        async let launched = Browser.launch()
        var started: [RunningServer] = []
        do {
            let pages = try await PageServer.start()
            started.append(pages)
            let pageOrigin = "http://localhost:\(pages.port)"
            let log = RequestLog()
            let cases = Dictionary(uniqueKeysWithValues: MatrixCase.all.map { ($0.id, $0) })
            let server = try await MatrixServer.start(cases: cases, pageOrigin: pageOrigin, log: log)
            started.append(server)
            let browser = try await launched
            do {
                let page = try await browser.openPage(pageOrigin + "/")
                return MatrixEnvironment(
                    browser: browser, pages: pages, server: server, page: page,
                    hosts: MatrixHosts(pageOrigin: pageOrigin, port: server.port), log: log)
            } catch {
                await browser.shutdown()
                throw error
            }
        } catch {
            for server in started { await server.stop() }
            if let browser = try? await launched { await browser.shutdown() }
            throw error
        }
    }

    func stop() async {
        await page.close()
        await browser.shutdown()
        await server.stop()
        await pages.stop()
    }
}

/// Runs a suite inside a ``MatrixEnvironment``: started before its first test, stopped after
/// its last. A browser or server that cannot start fails the suite.
struct MatrixEnvironmentTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let environment = try await MatrixEnvironment.start()
        do {
            try await MatrixEnvironment.$current.withValue(environment) { try await function() }
        } catch {
            await environment.stop()
            throw error
        }
        await environment.stop()
    }
}

extension Trait where Self == MatrixEnvironmentTrait {
    /// One Chromium, the page server and the matrix server, for the whole suite.
    static var matrixEnvironment: Self { Self() }
}
