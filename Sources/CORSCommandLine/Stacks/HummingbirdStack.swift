/// Hummingbird 2's built-in `CORSMiddleware`: one origin rule, no Vary without an Origin,
/// expose headers only on preflights. The export uses swift-cors's adapter instead when the
/// built-in cannot express the policy.
struct HummingbirdStack: StackDialect {
    var displayName: String { "Hummingbird (CORSMiddleware)" }
    var verification: String? { nil }

    func export(_ model: PolicyExportModel, endpoints: ExportEndpoints) -> StackExport {
        var warnings = model.commonWarnings
        warnings.append(
            "Hummingbird's built-in CORSMiddleware cannot express this exactly (one origin, expose headers only on preflights, no Vary without Origin, every OPTIONS with Origin taken as a preflight); the export uses swift-cors's CORSHummingbird adapter")
        var export = SwiftCORSStack().export(model, endpoints: endpoints)
        export.stack = .hummingbird
        export.configuration = export.configuration.replacing("// Vapor: app.middleware.use(CORSPolicyMiddleware(policy: policy), at: .beginning)\n", with: "")
            .replacing("import CORSHummingbird  // or CORSVapor", with: "import CORSHummingbird")
        export.warnings = warnings
        return export
    }

    func evidence(in response: StackResponse) -> [String] { [] }

    func fix(for failure: CheckFailureKind) -> String {
        switch failure {
        case .originNotAllowed(let origin): "CORSMiddleware(allowOrigin: .custom(\"\(origin)\"))  // one origin only; several: swift-cors's CORSPolicyMiddleware"
        case .methodNotAllowed(let method): "CORSMiddleware(allowMethods: [.get, .post, .put, .delete, .init(\"\(method)\")!])"
        case .headerNotAllowed(let name): "CORSMiddleware(allowHeaders: [.authorization, .contentType, HTTPField.Name(\"\(name)\")!])"
        case .credentialsNotAllowed: "CORSMiddleware(allowCredentials: true)"
        case .wildcardWithCredentials(let origin): "CORSMiddleware(allowOrigin: .custom(\"\(origin)\"), allowCredentials: true)"
        case .headerNotExposed: "router.add(middleware: CORSPolicyMiddleware(policy: policy))  // the built-in sends exposeHeaders only on preflights"
        case .preflightNotOK, .preflightAnsweredWithoutCORS, .preflightRedirected: "router.add(middleware: CORSMiddleware(...))  // on the router, not a group, so OPTIONS reaches it"
        case .errorWithoutCORSHeaders: "router.add(middleware: CORSMiddleware(...))  // first middleware"
        case .duplicateAllowOrigin: "remove the proxy's Access-Control-* or CORSMiddleware: one layer only"
        case .privateNetworkNotAllowed: "CORSPolicy(allowPrivateNetwork: true)  // swift-cors; the built-in has no PNA"
        }
    }
}
