import CORS
import CORSVapor
import VaporTesting

/// Runs a case against the Vapor adapter through VaporTesting: installed the recommended way,
/// or — to show that errors still get their headers — appended after Vapor's ErrorMiddleware.
enum VaporRunner {
    static func run(_ testCase: ConformanceCase, afterErrorMiddleware: Bool = false) async throws -> Observed {
        let app = try await Application.make(.testing, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        do {
            configure(app, table: testCase.policy.table, afterErrorMiddleware: afterErrorMiddleware)
            let response = try await app.testing().sendRequest(
                HTTPMethod(rawValue: testCase.method), testCase.path, headers: HTTPHeaders(testCase.headers))
            try await app.asyncShutdown()
            return Observed(
                status: Int(response.status.code), fields: response.headers.map { ($0.name, $0.value) },
                bodyIsEmpty: response.body.readableBytes == 0)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    static func configure(_ app: Application, table: CORSPolicyTable, afterErrorMiddleware: Bool) {
        let middleware = CORSPolicyMiddleware(table: table, recordsMetrics: false)
        if afterErrorMiddleware {
            app.middleware.use(middleware)
        } else {
            app.middleware.use(cors: middleware)
        }
        for route in [("GET", "/me"), ("PUT", "/me"), ("DELETE", "/me"), ("GET", "/vary"), ("GET", "/own-cors"), ("OPTIONS", "/options-route")] {
            let answer = ConformanceRoutes.response(method: route.0, path: route.1)
            app.on(HTTPMethod(rawValue: route.0), route.1.pathComponents) { _ in
                Response(status: .init(statusCode: answer.status), headers: HTTPHeaders(answer.headers))
            }
        }
        app.get("boom") { _ -> Response in throw ConformanceRoutes.Boom() }
        app.get("unauthorized") { _ -> Response in
            let answer = ConformanceRoutes.response(method: "GET", path: "/unauthorized")
            throw Abort(.init(statusCode: answer.status), headers: HTTPHeaders(answer.headers))
        }
    }
}
