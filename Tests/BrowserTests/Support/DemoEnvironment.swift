import CORS
@testable import CORSCommandLine
import Foundation
import Hummingbird
import Testing

/// The frameworks the demo API runs on.
enum DemoFramework: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case hummingbird, vapor

    var testDescription: String { rawValue }
}

/// One running demo API and the two pages that call it.
struct DemoAPITarget: Sendable {
    let framework: DemoFramework
    /// `http://127.0.0.1:PORT`
    let baseURL: String
    /// Every request the API received, preflights included.
    let log: RequestLog
    /// A page on the trusted origin (`http://localhost:PAGEPORT`), in its own browser context.
    let trustedPage: BrowserPage
    /// A page on an origin the policy does not name (`http://127.0.0.1:PAGEPORT`).
    let untrustedPage: BrowserPage
    fileprivate let stopServer: @Sendable () async -> Void

    func url(_ path: String) -> String { baseURL + path }

    /// The requests the API received for `path` (with its query), by method.
    func received(_ method: String, _ path: String) -> [ReceivedRequest] {
        log.matching(method: method, uri: path)
    }
}

/// What the demo-API suite shares: one Chromium, the page server, and the demo API on each
/// framework with a policy that trusts the page's origin.
struct DemoEnvironment: Sendable {
    @TaskLocal static var current: DemoEnvironment?

    let browser: Browser
    let pages: RunningServer
    let trustedOrigin: String
    let untrustedOrigin: String
    let policy: CORSPolicy
    let targets: [DemoFramework: DemoAPITarget]

    subscript(framework: DemoFramework) -> DemoAPITarget {
        targets[framework]!
    }

    /// The tutorial's policy, trusting `origin` instead of `http://localhost:5173`.
    static func policy(trusting origin: String) throws -> CORSPolicy {
        try CORSPolicy(
            allowOrigins: [origin],
            allowCredentials: true,
            allowMethods: ["GET", "POST", "PUT", "DELETE"],
            allowHeaders: ["Authorization", "Content-Type"],
            exposeHeaders: ["X-Request-Id"],
            maxAge: 600)
    }

    static func start() async throws -> DemoEnvironment {
        async let launched = Browser.launch()
        let pages: RunningServer
        do {
            pages = try await PageServer.start()
        } catch {
            if let browser = try? await launched { await browser.shutdown() }
            throw error
        }
        let trustedOrigin = "http://localhost:\(pages.port)"
        let untrustedOrigin = "http://127.0.0.1:\(pages.port)"
        var targets: [DemoFramework: DemoAPITarget] = [:]
        var browser: Browser?
        do {
            let policy = try policy(trusting: trustedOrigin)
            browser = try await launched
            for framework in DemoFramework.allCases {
                let log = RequestLog()
                let (port, stop) = try await startAPI(framework, policy: policy, log: log)
                do {
                    let trusted = try await browser!.openPage(trustedOrigin + "/")
                    let untrusted = try await browser!.openPage(untrustedOrigin + "/")
                    targets[framework] = DemoAPITarget(
                        framework: framework, baseURL: "http://127.0.0.1:\(port)", log: log,
                        trustedPage: trusted, untrustedPage: untrusted, stopServer: stop)
                } catch {
                    await stop()
                    throw error
                }
            }
            return DemoEnvironment(
                browser: browser!, pages: pages, trustedOrigin: trustedOrigin, untrustedOrigin: untrustedOrigin,
                policy: policy, targets: targets)
        } catch {
            for target in targets.values { await target.stopServer() }
            if let browser {
                await browser.shutdown()
            } else if let browser = try? await launched {
                await browser.shutdown()
            }
            await pages.stop()
            throw error
        }
    }

    private static func startAPI(
        _ framework: DemoFramework, policy: CORSPolicy, log: RequestLog
    ) async throws -> (Int, @Sendable () async -> Void) {
        switch framework {
        case .hummingbird:
            let server = try await RunningServer.start("hummingbird-demo") { onRunning in
                Application(
                    responder: RecordingResponder(
                        base: HummingbirdDemoServer.router(policy: policy).buildResponder(), log: log),
                    configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
                    onServerRunning: { await onRunning($0.localAddress?.port ?? 0) },
                    logger: quietLogger("hummingbird-demo"))
            }
            return (server.port, { await server.stop() })
        case .vapor:
            let server = try await VaporDemoServer.start(policy: policy, log: log)
            return (server.port, { await server.stop() })
        }
    }

    func stop() async {
        for target in targets.values {
            await target.trustedPage.close()
            await target.untrustedPage.close()
            await target.stopServer()
        }
        await browser.shutdown()
        await pages.stop()
    }
}

/// Runs a suite inside a ``DemoEnvironment``: started once before its first test, stopped
/// after its last. A browser or server that cannot start fails the suite.
struct DemoEnvironmentTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let environment = try await DemoEnvironment.start()
        do {
            try await DemoEnvironment.$current.withValue(environment) { try await function() }
        } catch {
            await environment.stop()
            throw error
        }
        await environment.stop()
    }
}

extension Trait where Self == DemoEnvironmentTrait {
    /// One Chromium, the page server and the demo API on both frameworks, for the whole suite.
    static var demoEnvironment: Self { Self() }
}
