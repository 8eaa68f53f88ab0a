import CORS
import CORSHummingbird
import HTTPTypes
import Hummingbird
import HummingbirdTesting

/// Runs a case against the Hummingbird adapter through HummingbirdTesting's router client.
enum HummingbirdRunner {
    static func router(table: CORSPolicyTable) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: CORSHummingbird.CORSPolicyMiddleware(table: table, recordsMetrics: false))
        for route in [("GET", "/me"), ("PUT", "/me"), ("DELETE", "/me"), ("GET", "/vary"), ("GET", "/own-cors"), ("OPTIONS", "/options-route")] {
            let answer = ConformanceRoutes.response(method: route.0, path: route.1)
            router.on(RouterPath(route.1), method: HTTPRequest.Method(route.0)!) { _, _ in
                Response(status: .init(code: answer.status), headers: fields(answer.headers))
            }
        }
        router.get("boom") { _, _ -> Response in throw ConformanceRoutes.Boom() }
        router.get("unauthorized") { _, _ -> Response in
            let answer = ConformanceRoutes.response(method: "GET", path: "/unauthorized")
            throw HTTPError(.init(code: answer.status), headers: fields(answer.headers))
        }
        return router
    }

    static func run(_ testCase: ConformanceCase) async throws -> Observed {
        let app = Application(router: router(table: testCase.policy.table))
        return try await app.test(.router) { client in
            try await client.execute(
                uri: testCase.path, method: HTTPRequest.Method(testCase.method)!, headers: fields(testCase.headers)
            ) { response in
                Observed(
                    status: response.status.code, fields: response.headers.map { ($0.name.rawName, $0.value) },
                    bodyIsEmpty: response.body.readableBytes == 0)
            }
        }
    }

    static func fields(_ pairs: [(String, String)]) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in pairs { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        return fields
    }
}
