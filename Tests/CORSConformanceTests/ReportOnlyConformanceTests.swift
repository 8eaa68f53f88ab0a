import CORS
import CORSHummingbird
import CORSObservability
import CORSVapor
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VaporTesting

/// Report-only mode changes no response byte: every request of the conformance table, answered
/// by the application with its CORS layer, gets the same status, fields (in order) and body with
/// a report-only middleware in front of it as without — on both frameworks, with a policy that
/// disagrees with the one in force.
@Suite("Report-only mode changes no response byte")
struct ReportOnlyConformanceTests {
    /// A stricter policy than the tutorial's: one origin, no credentials, GET only.
    static let trialPolicy = try! CORSPolicy(allowOrigins: [ConformanceCase.app], allowMethods: ["GET"])

    struct Answer: Equatable, CustomStringConvertible {
        var status: Int
        var fields: [String]
        var body: String

        var description: String { "\(status) \(fields) \(body)" }
    }

    static func hummingbird(_ testCase: ConformanceCase, reportOnly: CORSReportOnlyRecorder?) async throws -> Answer {
        let router = Router()
        if let reportOnly {
            router.add(
                middleware: CORSHummingbird.CORSReportOnlyMiddleware(
                    source: .fixed(CORSPolicyTable(trialPolicy)), recorder: reportOnly))
        }
        router.add(middleware: CORSHummingbird.CORSPolicyMiddleware(table: testCase.policy.table, recordsMetrics: false))
        for route in [("GET", "/me"), ("PUT", "/me"), ("DELETE", "/me"), ("GET", "/vary"), ("GET", "/own-cors"), ("OPTIONS", "/options-route")] {
            let answer = ConformanceRoutes.response(method: route.0, path: route.1)
            router.on(RouterPath(route.1), method: HTTPRequest.Method(route.0)!) { _, _ in
                Response(status: .init(code: answer.status), headers: HummingbirdRunner.fields(answer.headers))
            }
        }
        router.get("boom") { _, _ -> Response in throw ConformanceRoutes.Boom() }
        router.get("unauthorized") { _, _ -> Response in
            let answer = ConformanceRoutes.response(method: "GET", path: "/unauthorized")
            throw HTTPError(.init(code: answer.status), headers: HummingbirdRunner.fields(answer.headers))
        }
        return try await Application(router: router).test(.router) { client in
            try await client.execute(
                uri: testCase.path, method: HTTPRequest.Method(testCase.method)!,
                headers: HummingbirdRunner.fields(testCase.headers)
            ) { response in
                Answer(
                    status: response.status.code, fields: response.headers.map { "\($0.name.rawName): \($0.value)" },
                    body: String(decoding: response.body.readableBytesView, as: UTF8.self))
            }
        }
    }

    static func vapor(_ testCase: ConformanceCase, reportOnly: CORSReportOnlyRecorder?) async throws -> Answer {
        let app = try await Application.make(.testing, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        do {
            VaporRunner.configure(app, table: testCase.policy.table, afterErrorMiddleware: false)
            if let reportOnly {
                app.middleware.use(
                    CORSVapor.CORSReportOnlyMiddleware(source: .fixed(CORSPolicyTable(trialPolicy)), recorder: reportOnly),
                    at: .beginning)
            }
            let response = try await app.testing().sendRequest(
                HTTPMethod(rawValue: testCase.method), testCase.path, headers: HTTPHeaders(testCase.headers))
            try await app.asyncShutdown()
            return Answer(
                status: Int(response.status.code),
                fields: response.headers.filter { $0.name.lowercased() != "date" }.map { "\($0.name): \($0.value)" },
                body: Self.sortedJSONKeys(String(decoding: response.body.readableBytesView, as: UTF8.self)))
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// Vapor's `ErrorMiddleware` writes the keys of its JSON error body in no fixed order (with or
    /// without report-only mode): such bodies are compared with their keys sorted.
    static func sortedJSONKeys(_ body: String) -> String {
        guard body.hasPrefix("{"), let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)),
            let sorted = try? JSONSerialization.data(withJSONObject: object, options: .sortedKeys)
        else { return body }
        return String(decoding: sorted, as: UTF8.self)
    }

    @Test("Hummingbird", arguments: ConformanceCase.all)
    func hummingbirdUnchanged(_ testCase: ConformanceCase) async throws {
        let recorder = CORSReportOnlyRecorder(originCardinalityCap: 4, recordsMetrics: false)
        let without = try await Self.hummingbird(testCase, reportOnly: nil)
        let with = try await Self.hummingbird(testCase, reportOnly: recorder)
        #expect(with == without)
    }

    @Test("Vapor", arguments: ConformanceCase.all)
    func vaporUnchanged(_ testCase: ConformanceCase) async throws {
        let recorder = CORSReportOnlyRecorder(originCardinalityCap: 4, recordsMetrics: false)
        let without = try await Self.vapor(testCase, reportOnly: nil)
        let with = try await Self.vapor(testCase, reportOnly: recorder)
        #expect(with == without)
    }
}
