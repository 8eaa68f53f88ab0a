import CORS
import HTTPTypes

/// Runs a case against the core engine, with ``ConformanceRoutes`` standing in for the
/// application: the same code path the adapters take, without a framework.
enum EngineRunner {
    static func run(_ testCase: ConformanceCase) async -> Observed {
        var request = HTTPRequest(
            method: HTTPRequest.Method(testCase.method)!, scheme: "http", authority: "localhost", path: testCase.path)
        for (name, value) in testCase.headers {
            request.headerFields.append(HTTPField(name: HTTPField.Name(name)!, value: value))
        }
        let decision = await testCase.policy.table.engine(forPath: testCase.path).decide(request)
        if decision.isPreflight {
            let response = decision.preflightResponse()
            return Observed(
                status: response.status.code, fields: response.headerFields.map { ($0.name.rawName, $0.value) },
                bodyIsEmpty: true)
        }
        let app = ConformanceRoutes.response(method: testCase.method, path: testCase.path)
        var fields = HTTPFields()
        for (name, value) in app.headers {
            fields.append(HTTPField(name: HTTPField.Name(name)!, value: value))
        }
        decision.apply(to: &fields)
        return Observed(status: app.status, fields: fields.map { ($0.name.rawName, $0.value) }, bodyIsEmpty: false)
    }
}
