/// swift-cors itself: the policy as Swift, for the Hummingbird and Vapor adapters.
struct SwiftCORSStack: StackDialect {
    var displayName: String { "swift-cors" }
    var verification: String? { nil }

    func export(_ model: PolicyExportModel, endpoints: ExportEndpoints) -> StackExport {
        let policy = model.policy
        func list(_ values: [String]) -> String { "[" + values.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }
        var arguments: [String] = []
        if !policy.allowOrigins.isEmpty { arguments.append("allowOrigins: \(list(policy.allowOrigins))") }
        if !policy.allowOriginPatterns.isEmpty { arguments.append("allowOriginPatterns: \(list(policy.allowOriginPatterns))") }
        if policy.allowCredentials { arguments.append("allowCredentials: true") }
        if !policy.allowMethods.isEmpty { arguments.append("allowMethods: \(list(policy.allowMethods))") }
        if !policy.allowHeaders.isEmpty { arguments.append("allowHeaders: \(list(policy.allowHeaders))") }
        if !policy.exposeHeaders.isEmpty { arguments.append("exposeHeaders: \(list(policy.exposeHeaders))") }
        if let maxAge = policy.maxAge { arguments.append("maxAge: \(maxAge)") }
        if policy.allowPrivateNetwork { arguments.append("allowPrivateNetwork: true") }
        if policy.preflightStatus != 204 { arguments.append("preflightStatus: \(policy.preflightStatus)") }
        if policy.dangerouslyAllowNullOrigin { arguments.append("dangerouslyAllowNullOrigin: true") }
        let configuration = """
            \(exportHeader(comment: "//", model: model))
            import CORS
            import CORSHummingbird  // or CORSVapor

            let policy = try CORSPolicy(
                \(arguments.joined(separator: ",\n    "))
            )
            // Hummingbird: router.add(middleware: CORSPolicyMiddleware(policy: policy))
            // Vapor: app.middleware.use(CORSPolicyMiddleware(policy: policy), at: .beginning)

            """
        return StackExport(stack: .swiftCORS, configuration: configuration, warnings: model.commonWarnings, verification: nil)
    }

    func evidence(in response: StackResponse) -> [String] { [] }

    func fix(for failure: CheckFailureKind) -> String {
        switch failure {
        case .originNotAllowed(let origin): "CORSPolicy(allowOrigins: [..., \"\(origin)\"])"
        case .methodNotAllowed(let method): "CORSPolicy(allowMethods: [..., \"\(method)\"])"
        case .headerNotAllowed(let name): "CORSPolicy(allowHeaders: [..., \"\(name)\"])"
        case .credentialsNotAllowed: "CORSPolicy(allowCredentials: true)"
        case .wildcardWithCredentials(let origin): "CORSPolicy(allowOrigins: [\"\(origin)\"], allowCredentials: true)"
        case .headerNotExposed(let name): "CORSPolicy(exposeHeaders: [..., \"\(name)\"])"
        case .preflightNotOK, .preflightAnsweredWithoutCORS, .preflightRedirected: "router.add(middleware: CORSPolicyMiddleware(policy: policy))  // before auth and redirect middleware"
        case .errorWithoutCORSHeaders: "app.middleware.use(CORSPolicyMiddleware(policy: policy), at: .beginning)"
        case .duplicateAllowOrigin: "remove the proxy's Access-Control-* fields: CORSPolicyMiddleware replaces the app's own"
        case .privateNetworkNotAllowed: "CORSPolicy(allowPrivateNetwork: true)"
        }
    }
}
