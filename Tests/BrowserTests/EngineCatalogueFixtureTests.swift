import CORSBrowserModel
import Foundation
import HTTPTypes
import Testing

/// The engine profiles against what the real engines printed: for every matrix case and every
/// engine recorded in `Fixtures/engine-console.json`, the browser model (fed the matrix
/// server's responses) reaches the recorded verdict and writes exactly the recorded console
/// lines, and `cors explain`'s reader names the model's cause for each of those lines.
/// No browser runs here: the fixture is what the engine suites recorded.
@Suite(
    "Engine catalogues vs recorded consoles",
    .enabled(
        if: FileManager.default.fileExists(atPath: EngineFixtures.console.url.path),
        "Fixtures/engine-console.json is not recorded yet (the engine zoo suites record it)"))
struct EngineCatalogueFixtureTests {
    static let hosts = MatrixHosts(pageOrigin: "http://localhost:5173", port: 8080)

    /// What the model says one engine does with a case.
    struct EngineRun {
        var allowed: Bool
        var status: Int?
        var lines: [String]
        var failure: CORSFailure?
    }

    static func run(_ matrixCase: MatrixCase, engine: BrowserEngine) throws -> EngineRun {
        var fields = HTTPFields()
        for header in matrixCase.headers {
            fields.append(HTTPField(name: HTTPField.Name(header.name)!, value: header.value))
        }
        let request = try PageRequest(
            url: hosts.apiBase + "/case/\(matrixCase.id)", origin: hosts.pageOrigin, method: matrixCase.method,
            headerFields: fields, credentials: CredentialsMode(rawValue: matrixCase.credentials)!)
        var plan = RequestPlan(request)
        let profile = engine.profile
        func respond(_ outgoing: HTTPRequest) -> HTTPResponse {
            MatrixServer.httpResponse(
                for: matrixCase, method: outgoing.method.rawValue, path: plan.request.url.path,
                origin: outgoing.headerFields[.origin], hosts: hosts)
                ?? HTTPResponse(status: .notFound)
        }
        func blocked(_ exchange: BlockedExchange) -> EngineRun {
            EngineRun(allowed: false, lines: profile.report(exchange).consoleLines, failure: exchange.failure)
        }
        for _ in 0...21 {
            if plan.preflightRequest != nil {
                let response = respond(plan.preflightRequest!)
                if let exchange = plan.blockedExchange(preflightResponse: response) { return blocked(exchange) }
            }
            let response = respond(plan.actualRequest)
            if let exchange = plan.blockedExchange(actualResponse: response) { return blocked(exchange) }
            switch plan.followRedirect(response) {
            case .follow(let hop):
                plan = hop.nextPlan
            case .networkError(let error):
                return EngineRun(allowed: false, lines: profile.networkErrorLines(error, request: plan.request))
            case .notARedirect:
                return EngineRun(allowed: true, status: response.status.code, lines: [])
            case .blocked:
                Issue.record("blocked redirect without a blocked exchange")
                return EngineRun(allowed: false, lines: [])
            }
        }
        return EngineRun(allowed: false, lines: [])
    }

    static var recorded: [String: [String: EngineRecord]] {
        (try? EngineFixtures.console.load()) ?? [:]
    }

    @Test("The model writes each engine's recorded console lines", arguments: MatrixCase.all)
    func modelMatchesRecording(_ matrixCase: MatrixCase) throws {
        let byEngine = Self.recorded[matrixCase.id] ?? [:]
        for (engineName, record) in byEngine.sorted(by: { $0.key < $1.key }) {
            let engine = try #require(BrowserEngine(rawValue: engineName))
            let run = try Self.run(matrixCase, engine: engine)
            #expect(run.allowed == record.allowed, "\(engine) \(matrixCase.id): verdict")
            if record.allowed { #expect(run.status == record.status, "\(engine) \(matrixCase.id): status") }
            let lines = run.lines.map { EngineFixtures.placeholders($0, hosts: Self.hosts) }
            #expect(lines == record.console, "\(engine) \(matrixCase.id): console")
        }
    }

    @Test("Explain reads each recorded line as the engine's message and names the model's cause", arguments: MatrixCase.all)
    func readerNamesTheCause(_ matrixCase: MatrixCase) throws {
        let byEngine = Self.recorded[matrixCase.id] ?? [:]
        for (engineName, record) in byEngine where !record.console.isEmpty {
            let engine = try #require(BrowserEngine(rawValue: engineName))
            let run = try Self.run(matrixCase, engine: engine)
            let text = record.console.map { Self.filled($0) }.joined(separator: "\n")
            let readings = ConsoleMessageReader.read(text: text)
            #expect(readings.count == record.console.count, "\(engine) \(matrixCase.id): every line is known")
            #expect(readings.allSatisfy { $0.engine == engine }, "\(engine) \(matrixCase.id): engine")
            guard let failure = run.failure, let first = readings.first(where: { $0.message.role == .blocked }) else { continue }
            var causes = first.message.causes
            if first.message.id == "redirectDenied", let inner = first.values[.value].flatMap(ConsoleMessageReader.read(line:)) {
                causes += inner.message.causes
            }
            #expect(causes.contains(failure.reason), "\(engine) \(matrixCase.id): \(first.message.id) does not list \(failure.reason)")
        }
    }

    /// A recorded line with its placeholders filled in as a real console shows it.
    static func filled(_ line: String) -> String {
        line.replacingOccurrences(of: "{userApi}", with: "http://user:secret@127.0.0.1:8080")
            .replacingOccurrences(of: "{api}", with: hosts.apiBase)
            .replacingOccurrences(of: "{cross}", with: hosts.crossBase)
            .replacingOccurrences(of: "{origin}", with: hosts.pageOrigin)
            .replacingOccurrences(of: "{pagePort}", with: hosts.pagePort)
    }
}
