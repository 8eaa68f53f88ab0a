/// Go with github.com/rs/cors. Its own `*` wildcards match on prefix and suffix
/// (`https://*example.com` also matches `evilexample.com`), so the export decides origins with
/// anchored regexes in `AllowOriginFunc`.
struct GoRsCorsStack: StackDialect {
    var displayName: String { "Go rs/cors" }
    var verification: String? { nil }

    func export(_ model: PolicyExportModel, endpoints: ExportEndpoints) -> StackExport {
        func list(_ values: [String]) -> String { "[]string{" + values.map { "\"\($0)\"" }.joined(separator: ", ") + "}" }
        var warnings = model.commonWarnings
        warnings.append("rs/cors answers a refused preflight with 204 and only Vary, not an ok status with the real lists")
        var fields: [String] = []
        if model.allowsAnyOrigin {
            fields.append("AllowedOrigins: []string{\"*\"},")
        } else {
            fields.append("AllowOriginFunc: func(origin string) bool { return len(origin) <= \(PolicyExportModel.maximumOriginLength) && trustedOrigin.MatchString(origin) },")
        }
        if model.policy.allowCredentials { fields.append("AllowCredentials: true,") }
        if !model.policy.allowMethods.isEmpty { fields.append("AllowedMethods: \(list(model.policy.allowMethods)),") }
        if !model.policy.allowHeaders.isEmpty { fields.append("AllowedHeaders: \(list(model.policy.allowHeaders)),") }
        if !model.policy.exposeHeaders.isEmpty { fields.append("ExposedHeaders: \(list(model.policy.exposeHeaders)),") }
        if let maxAge = model.policy.maxAge { fields.append("MaxAge: \(maxAge),") }
        if model.policy.allowPrivateNetwork { fields.append("AllowPrivateNetwork: true,") }
        fields.append("OptionsSuccessStatus: \(model.preflightStatus),")
        let configuration = """
            \(exportHeader(comment: "//", model: model))
            package main

            import (
            \t"regexp"

            \t"github.com/rs/cors"
            )

            // Exact origins and patterns as one anchored, case-sensitive regex.
            var trustedOrigin = regexp.MustCompile(`\(model.originRegex)`)

            // corsPolicy wraps the whole handler, outside any auth middleware: handler = corsPolicy.Handler(handler)
            var corsPolicy = cors.New(cors.Options{
            \t\(fields.joined(separator: "\n\t"))
            })

            """
        return StackExport(stack: .goRsCors, configuration: configuration, warnings: warnings, verification: nil)
    }

    func evidence(in response: StackResponse) -> [String] {
        // Go's net/http: "404 page not found" and canonical, sorted field names.
        response.body.hasPrefix("404 page not found") ? ["body '404 page not found' (Go net/http)"] : []
    }

    func fix(for failure: CheckFailureKind) -> String {
        switch failure {
        case .originNotAllowed(let origin): "AllowedOrigins: []string{..., \"\(origin)\"},"
        case .methodNotAllowed(let method): "AllowedMethods: []string{..., \"\(method)\"},"
        case .headerNotAllowed(let name): "AllowedHeaders: []string{..., \"\(name)\"},"
        case .credentialsNotAllowed: "AllowCredentials: true,"
        case .wildcardWithCredentials(let origin): "AllowedOrigins: []string{\"\(origin)\"},  // not \"*\" with AllowCredentials"
        case .headerNotExposed(let name): "ExposedHeaders: []string{..., \"\(name)\"},"
        case .preflightNotOK, .preflightAnsweredWithoutCORS: "handler = corsPolicy.Handler(authMiddleware(mux))  // CORS outside auth"
        case .preflightRedirected: "handler = corsPolicy.Handler(mux)  // outside any redirect; call the canonical URL"
        case .errorWithoutCORSHeaders: "handler = corsPolicy.Handler(recoverer(mux))  // CORS outermost, so errors keep the headers"
        case .duplicateAllowOrigin: "remove the proxy's Access-Control-* or rs/cors: one layer only"
        case .privateNetworkNotAllowed: "AllowPrivateNetwork: true,"
        }
    }
}
