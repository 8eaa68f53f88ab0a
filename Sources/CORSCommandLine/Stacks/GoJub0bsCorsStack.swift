/// Go with github.com/jub0bs/cors: validated configuration, `https://*.example.com` and `:*`
/// patterns with the same meaning as swift-cors's.
struct GoJub0bsCorsStack: StackDialect {
    var displayName: String { "Go jub0bs/cors" }
    var verification: String? { nil }

    func export(_ model: PolicyExportModel, endpoints: ExportEndpoints) -> StackExport {
        func list(_ values: [String]) -> String { "[]string{" + values.map { "\"\($0)\"" }.joined(separator: ", ") + "}" }
        var warnings = model.commonWarnings
        warnings.append("jub0bs/cors answers a refused preflight with 403 and no CORS fields, not an ok status with the real lists")
        if model.policy.allowPrivateNetwork { warnings.append("jub0bs/cors dropped Private Network Access (v0.7.0)") }
        if model.preflightStatus != 204 { warnings.append("jub0bs/cors always answers preflights with 204") }
        var fields = ["Origins: \(list(model.exactOrigins + model.policy.allowOriginPatterns + (model.allowsAnyOrigin ? ["*"] : [])))," ]
        if model.policy.allowCredentials { fields.append("Credentialed: true,") }
        if !model.policy.allowMethods.isEmpty { fields.append("Methods: \(list(model.policy.allowMethods)),") }
        if !model.policy.allowHeaders.isEmpty { fields.append("RequestHeaders: \(list(model.policy.allowHeaders.map { $0 == "*" ? "*" : $0.lowercased() })),") }
        if !model.policy.exposeHeaders.isEmpty { fields.append("ResponseHeaders: \(list(model.policy.exposeHeaders)),") }
        if let maxAge = model.policy.maxAge { fields.append("MaxAgeInSeconds: \(maxAge),") }
        let configuration = """
            \(exportHeader(comment: "//", model: model))
            package main

            import "github.com/jub0bs/cors"

            // newCORS builds the middleware; wrap the whole handler, outside any auth: handler = corsMw.Wrap(mux)
            func newCORS() (*cors.Middleware, error) {
            \treturn cors.NewMiddleware(cors.Config{
            \t\t\(fields.joined(separator: "\n\t\t"))
            \t})
            }

            """
        return StackExport(stack: .goJub0bsCors, configuration: configuration, warnings: warnings, verification: nil)
    }

    func evidence(in response: StackResponse) -> [String] { [] }

    func fix(for failure: CheckFailureKind) -> String {
        switch failure {
        case .originNotAllowed(let origin): "Origins: []string{..., \"\(origin)\"},"
        case .methodNotAllowed(let method): "Methods: []string{..., \"\(method)\"},"
        case .headerNotAllowed(let name): "RequestHeaders: []string{..., \"\(name.lowercased())\"},"
        case .credentialsNotAllowed: "Credentialed: true,"
        case .wildcardWithCredentials(let origin): "Origins: []string{\"\(origin)\"},"
        case .headerNotExposed(let name): "ResponseHeaders: []string{..., \"\(name)\"},"
        case .preflightNotOK, .preflightAnsweredWithoutCORS, .preflightRedirected: "handler = corsMw.Wrap(mux)  // outermost: before auth and redirects"
        case .errorWithoutCORSHeaders: "handler = corsMw.Wrap(recoverer(mux))  // CORS outermost, so errors keep the headers"
        case .duplicateAllowOrigin: "remove the proxy's Access-Control-* or jub0bs/cors: one layer only"
        case .privateNetworkNotAllowed: "w.Header().Set(\"Access-Control-Allow-Private-Network\", \"true\")  // jub0bs/cors dropped PNA"
        }
    }
}
