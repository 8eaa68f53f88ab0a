/// Vapor 4's built-in `CORSMiddleware`: no Vary for a list of origins, and thrown errors lose
/// the headers unless it is added `at: .beginning`. The export uses swift-cors's adapter.
struct VaporStack: StackDialect {
    var displayName: String { "Vapor (CORSMiddleware)" }
    var verification: String? { nil }

    func export(_ model: PolicyExportModel, endpoints: ExportEndpoints) -> StackExport {
        var warnings = model.commonWarnings
        warnings.append(
            "Vapor 4's built-in CORSMiddleware cannot express this exactly (no Vary for a list of origins, no patterns, ok-status lists on every preflight); the export uses swift-cors's CORSVapor adapter")
        var export = SwiftCORSStack().export(model, endpoints: endpoints)
        export.stack = .vapor
        export.configuration = export.configuration.replacing("// Hummingbird: router.add(middleware: CORSPolicyMiddleware(policy: policy))\n", with: "")
            .replacing("import CORSHummingbird  // or CORSVapor", with: "import CORSVapor")
        export.warnings = warnings
        return export
    }

    func evidence(in response: StackResponse) -> [String] {
        response.body.contains("\"error\":true") && response.body.contains("\"reason\":") ? ["body {\"error\":true,\"reason\":…} (Vapor's ErrorMiddleware)"] : []
    }

    func fix(for failure: CheckFailureKind) -> String {
        switch failure {
        case .originNotAllowed(let origin): "CORSMiddleware.Configuration(allowedOrigin: .any([..., \"\(origin)\"]), ...)"
        case .methodNotAllowed(let method): "CORSMiddleware.Configuration(allowedMethods: [.GET, .POST, .PUT, .DELETE, .init(rawValue: \"\(method)\")], ...)"
        case .headerNotAllowed(let name): "CORSMiddleware.Configuration(allowedHeaders: [.authorization, .contentType, .init(\"\(name)\")], ...)"
        case .credentialsNotAllowed: "CORSMiddleware.Configuration(..., allowCredentials: true)"
        case .wildcardWithCredentials(let origin): "CORSMiddleware.Configuration(allowedOrigin: .custom(\"\(origin)\"), ..., allowCredentials: true)"
        case .headerNotExposed(let name): "CORSMiddleware.Configuration(..., exposedHeaders: [.init(\"\(name)\")])"
        case .preflightNotOK, .preflightAnsweredWithoutCORS, .preflightRedirected: "app.middleware.use(CORSMiddleware(configuration: cors), at: .beginning)  // not on a route group"
        case .errorWithoutCORSHeaders: "app.middleware.use(CORSMiddleware(configuration: cors), at: .beginning)  // before ErrorMiddleware"
        case .duplicateAllowOrigin: "remove the proxy's Access-Control-* or CORSMiddleware: one layer only"
        case .privateNetworkNotAllowed: "CORSPolicy(allowPrivateNetwork: true)  // swift-cors; the built-in has no PNA"
        }
    }
}
