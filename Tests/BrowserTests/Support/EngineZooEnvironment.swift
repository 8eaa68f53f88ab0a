import Foundation
import Testing

/// The servers the engine suites share: the page server on `http://localhost:P` and the matrix
/// server on `http://127.0.0.1:M`, serving every case of ``MatrixCase/all`` and of
/// ``PreflightCacheCase/all``. The browsers are started by each engine's suite, one at a time.
struct EngineZooEnvironment: Sendable {
    @TaskLocal static var current: EngineZooEnvironment?

    let pages: EngineZooPages
    let pageServer: RunningServer
    let server: RunningServer
    let hosts: MatrixHosts
    let log: RequestLog

    static let cases: [MatrixCase] = MatrixCase.all + PreflightCacheCase.all.map(\.matrixCase)

    static func start() async throws -> EngineZooEnvironment {
        let pages = EngineZooPages()
        let pageServer = try await pages.start()
        do {
            let pageOrigin = "http://localhost:\(pageServer.port)"
            let log = RequestLog()
            let server = try await MatrixServer.start(
                cases: Dictionary(uniqueKeysWithValues: cases.map { ($0.id, $0) }), pageOrigin: pageOrigin, log: log)
            let hosts = MatrixHosts(pageOrigin: pageOrigin, port: server.port)
            for matrixCase in cases {
                pages.register(matrixCase.id, matrixCase.fetchRequest(hosts))
            }
            return EngineZooEnvironment(pages: pages, pageServer: pageServer, server: server, hosts: hosts, log: log)
        } catch {
            await pageServer.stop()
            throw error
        }
    }

    /// The blank page the driven tabs load.
    var blankPage: String { hosts.pageOrigin + "/" }

    /// The page that runs `matrixCase`'s request when it loads.
    func runPage(_ matrixCase: MatrixCase) -> String { hosts.pageOrigin + "/run/" + matrixCase.id }

    /// The preflights the server received for `matrixCase` so far.
    func preflightCount(_ matrixCase: MatrixCase) -> Int {
        log.all.filter { $0.method == "OPTIONS" && $0.path == "/case/\(matrixCase.id)" }.count
    }

    func stop() async {
        await server.stop()
        await pageServer.stop()
    }
}

extension MatrixCase {
    /// The page's `fetch` of this case.
    func fetchRequest(_ hosts: MatrixHosts) -> FetchRequest {
        FetchRequest(url: hosts.apiBase + "/case/\(id)", method: method, headers: headers, credentials: credentials, body: body)
    }
}

/// Runs a suite inside an ``EngineZooEnvironment``, started before its first test and stopped
/// after its last.
struct EngineZooEnvironmentTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let environment = try await EngineZooEnvironment.start()
        do {
            try await EngineZooEnvironment.$current.withValue(environment) { try await function() }
        } catch {
            await environment.stop()
            throw error
        }
        await environment.stop()
    }
}

extension Trait where Self == EngineZooEnvironmentTrait {
    /// The page and matrix servers, for all the engines' suites.
    static var engineZooEnvironment: Self { Self() }
}
