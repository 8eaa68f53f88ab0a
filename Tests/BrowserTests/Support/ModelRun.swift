import AsyncHTTPClient
import CORSBrowserModel
import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1

/// What the browser model (CORSBrowserModel) concludes for a request, walking it as a browser
/// would: the preflight when the plan has one, the actual request, each redirect, fed the
/// responses the server sends.
struct ModelRun: Sendable {
    let verdict: Verdict
    /// The preflights the model sends, in order.
    let preflights: [Preflight]
    /// Lowercased names the script can read, when allowed.
    let readableHeaderNames: [String]
    /// Chromium's console line, per the model, when blocked by CORS.
    let consoleMessage: String?

    struct Preflight: Hashable, Sendable, CustomStringConvertible {
        let path: String
        let method: String?
        let headers: String?
        var description: String { "OPTIONS \(path) ACRM=\(method ?? "-") ACRH=\(headers ?? "-")" }
    }

    /// Answers a request the model sends to `url`; `nil` when nothing answers.
    typealias Responder = @Sendable (_ request: HTTPRequest, _ url: WebURL) async throws -> HTTPResponse?

    static func run(
        url: String, origin: String, method: String, headers: [(name: String, value: String)], credentials: String,
        respond: Responder
    ) async throws -> ModelRun {
        var fields = HTTPFields()
        for header in headers {
            fields.append(HTTPField(name: HTTPField.Name(header.name)!, value: header.value))
        }
        let request = try PageRequest(
            url: url, origin: origin, method: method, headerFields: fields,
            credentials: CredentialsMode(rawValue: credentials)!)
        var plan = RequestPlan(request)
        var preflights: [Preflight] = []

        func blocked(_ failure: CORSFailure, _ message: String?) -> ModelRun {
            ModelRun(
                verdict: .blocked(failure.reason.rawValue, failure.failedParameter), preflights: preflights,
                readableHeaderNames: [], consoleMessage: message)
        }
        func failed(_ error: String) -> ModelRun {
            ModelRun(verdict: .networkError(error), preflights: preflights, readableHeaderNames: [], consoleMessage: nil)
        }

        for _ in 0...21 {
            let url = plan.request.url
            if let preflight = plan.preflightRequest {
                preflights.append(
                    Preflight(
                        path: url.path, method: preflight.headerFields[HTTPField.Name("Access-Control-Request-Method")!],
                        headers: preflight.headerFields[HTTPField.Name("Access-Control-Request-Headers")!]))
                guard let response = try await respond(preflight, url) else { return failed("no response") }
                let evaluation = plan.evaluatePreflight(response)
                if let failure = evaluation.failure { return blocked(failure, evaluation.consoleMessage) }
            }
            guard let response = try await respond(plan.actualRequest, url) else { return failed("no response") }
            switch plan.followRedirect(response) {
            case .notARedirect:
                let evaluation = plan.evaluateResponse(response)
                if let failure = evaluation.failure { return blocked(failure, evaluation.consoleMessage) }
                return ModelRun(
                    verdict: .allowed(status: response.status.code), preflights: preflights,
                    readableHeaderNames: evaluation.readable?.readableHeaderNames ?? [], consoleMessage: nil)
            case .follow(let hop):
                plan = hop.nextPlan
            case .blocked(let failure, let message):
                return blocked(failure, message)
            case .networkError(let error):
                // Chromium's DevTools spell it `net::ERR_…`.
                return failed("net::" + error.code.rawValue)
            }
        }
        return failed("redirect loop")
    }

    /// The model fed the matrix server's responses, computed (they are a pure function of the
    /// case, method, path and `Origin`), so it also judges requests Chromium did not send.
    static func run(_ matrixCase: MatrixCase, hosts: MatrixHosts) async throws -> ModelRun {
        try await run(
            url: hosts.apiBase + "/case/\(matrixCase.id)", origin: hosts.pageOrigin, method: matrixCase.method,
            headers: matrixCase.headers, credentials: matrixCase.credentials
        ) { request, url in
            MatrixServer.httpResponse(
                for: matrixCase, method: request.method.rawValue, path: url.path,
                origin: request.headerFields[.origin], hosts: hosts)
        }
    }

    /// The model fed a live server's answers, fetched with AsyncHTTPClient exactly as planned
    /// (no redirect followed by the client: the model follows them).
    static func runLive(
        url: String, origin: String, method: String = "GET", headers: [(name: String, value: String)] = [],
        credentials: String = "omit"
    ) async throws -> ModelRun {
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10), read: .seconds(30))))
        do {
            let result = try await run(
                url: url, origin: origin, method: method, headers: headers, credentials: credentials
            ) { request, url in
                var outgoing = HTTPClientRequest(url: url.serialized)
                outgoing.method = NIOHTTP1.HTTPMethod(rawValue: request.method.rawValue)
                for field in request.headerFields {
                    outgoing.headers.add(name: field.name.rawName, value: field.value)
                }
                let response = try await client.execute(outgoing, timeout: .seconds(30))
                _ = try await response.body.collect(upTo: 1 << 20)
                var fields = HTTPFields()
                for (name, value) in response.headers {
                    if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
                }
                return HTTPResponse(status: .init(code: Int(response.status.code)), headerFields: fields)
            }
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
