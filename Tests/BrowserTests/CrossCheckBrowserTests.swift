import Foundation
import Testing

/// Every case of ``MatrixCase/all`` in headless Chromium against the matrix server, and the
/// same case through the browser model (CORSBrowserModel) fed the exact responses the server
/// sent. Chromium's verdict and reason (`corsErrorStatus.corsError`, `failedParameter`) must
/// equal the recorded expectation, and the model's must equal Chromium's, as must the
/// preflights sent, the headers the script can read and the console message.
@Suite("Cross-check: Chromium vs the browser model", .matrixEnvironment, .timeLimit(.minutes(3)))
struct CrossCheckBrowserTests {
    @Test("Chromium and the model agree", arguments: MatrixCase.all)
    func crossCheck(_ matrixCase: MatrixCase) async throws {
        let environment = try #require(MatrixEnvironment.current, "the suite trait starts the environment")
        let hosts = environment.hosts
        let id = matrixCase.id
        let outcome = try await environment.page.fetch(
            FetchRequest(
                url: hosts.apiBase + "/case/\(id)", method: matrixCase.method, headers: matrixCase.headers,
                credentials: matrixCase.credentials, body: matrixCase.body))

        // 1. Chromium does what was measured.
        let chromium = outcome.verdict
        let expected = Self.resolve(matrixCase.chromium, hosts: hosts, caseID: id)
        #expect(chromium == expected, "Chromium's verdict on \(id) changed: \(outcome) \(outcome.consoleMessages)")

        // 2. The browser model reaches the same verdict and reason, and names the same value.
        let model = try await ModelRun.run(matrixCase, hosts: hosts)
        #expect(
            model.verdict.withoutParameter == chromium.withoutParameter,
            "browser model disagrees with Chromium on \(id): Chromium \(chromium), model \(model.verdict)")
        #expect(
            model.verdict.failedParameter == chromium.failedParameter,
            "failedParameter of \(id): Chromium \(chromium.failedParameter ?? "none"), model \(model.verdict.failedParameter ?? "none")")

        // 3. It plans the same preflights Chromium sent.
        let paths: Set = ["/case/\(id)", "/case/\(id)/target"]
        let sent = environment.log.all.filter { $0.method == "OPTIONS" && paths.contains($0.path) }.map {
            ModelRun.Preflight(
                path: $0.path, method: $0.header("Access-Control-Request-Method"),
                headers: $0.header("Access-Control-Request-Headers"))
        }
        #expect(model.preflights == sent, "preflights of \(id): Chromium sent \(sent), model plans \(model.preflights)")

        // 4. `cors check --json`, run against the live server after Chromium, agrees too.
        let check = try await CorsCheckRun.run(
            url: hosts.apiBase + "/case/\(id)", origin: hosts.pageOrigin, method: matrixCase.method,
            headers: matrixCase.headers, credentials: matrixCase.credentials)
        #expect(
            check.verdict.withoutParameter == chromium.withoutParameter,
            "cors check disagrees with Chromium on \(id): Chromium \(chromium), cors check \(check.verdict)")
        #expect(check.exitCode == (chromium.isAllowed ? 0 : 1), "cors check exit status on \(id)")

        // 5. It lets the script read the same headers.
        if chromium.isAllowed, model.verdict.isAllowed {
            let final = outcome.redirected ? matrixCase.target : matrixCase.actual
            var candidates = Set((final?.headers ?? []).map { $0.name.lowercased() }.filter { !$0.hasPrefix("access-control-") })
            if final?.body.isEmpty == false { candidates.insert("content-type") }
            let chromiumReadable = Set(outcome.readableHeaders.keys).intersection(candidates)
            let modelReadable = Set(model.readableHeaderNames).intersection(candidates)
            if let measured = matrixCase.chromiumReads {
                #expect(chromiumReadable == Set(measured), "Chromium's readable headers on \(id) changed")
            }
            #expect(
                chromiumReadable == modelReadable,
                "readable headers of \(id): Chromium \(chromiumReadable.sorted()), model \(modelReadable.sorted())")
        }

        // 6. It predicts Chromium's console line.
        if case .blocked = chromium, case .blocked = model.verdict {
            let message = try #require(model.consoleMessage, "the model gives no console message for \(id)")
            #expect(
                outcome.consoleMessages.contains(message),
                "console message of \(id): Chromium \(outcome.consoleMessages), model [\(message)]")
        }
    }

    static func resolve(_ verdict: Verdict, hosts: MatrixHosts, caseID: String) -> Verdict {
        guard case .blocked(let reason, let parameter) = verdict else { return verdict }
        return .blocked(reason, parameter.map { hosts.resolve($0, caseID: caseID) })
    }
}
