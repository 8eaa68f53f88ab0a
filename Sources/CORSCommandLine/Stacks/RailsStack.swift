/// Rails with rack-cors, inserted first in the middleware stack so preflights pass before
/// authentication.
struct RailsStack: StackDialect {
    var displayName: String { "Rails (rack-cors)" }
    var verification: String? { nil }

    func export(_ model: PolicyExportModel, endpoints: ExportEndpoints) -> StackExport {
        var warnings = model.commonWarnings
        warnings.append("rack-cors answers a refused preflight with no CORS fields, not an ok status with the real lists")
        if model.policy.allowPrivateNetwork {
            warnings.append("rack-cors 1.1 has no Private Network Access option: the export leaves Access-Control-Allow-Private-Network out")
        }
        func ruby(_ regex: String) -> String {
            "/\\A" + regex.dropFirst().dropLast().replacing("/", with: "\\/") + "\\z/"
        }
        let origins = model.allowsAnyOrigin ? "\"*\"" : model.originRegexes.map(ruby).joined(separator: ",\n            ")
        var options: [String] = []
        options.append("headers: \(model.policy.allowHeaders.contains("*") ? ":any" : "%w[\(model.policy.allowHeaders.joined(separator: " "))]")")
        options.append("methods: \(model.policy.allowMethods.contains("*") ? ":any" : "%i[\(model.policy.allowMethods.map { $0.lowercased() }.joined(separator: " "))]")")
        if model.policy.allowCredentials { options.append("credentials: true") }
        if !model.policy.exposeHeaders.isEmpty { options.append("expose: %w[\(model.policy.exposeHeaders.joined(separator: " "))]") }
        if let maxAge = model.policy.maxAge { options.append("max_age: \(maxAge)") }
        let configuration = """
            \(exportHeader(comment: "#", model: model))
            # config/initializers/cors.rb (gem "rack-cors")
            Rails.application.config.middleware.insert_before 0, Rack::Cors do
              allow do
                # Exact origins and patterns as anchored regexes (\\A…\\z).
                origins \(origins)
                resource "*",
                  \(options.joined(separator: ",\n      "))
              end
            end

            """
        return StackExport(stack: .rails, configuration: configuration, warnings: warnings, verification: nil)
    }

    func evidence(in response: StackResponse) -> [String] {
        var clues: [String] = []
        if response.value("X-Runtime") != nil && response.value("X-Request-Id") != nil { clues.append("X-Runtime and X-Request-Id (Rails)") }
        if let server = response.value("Server"), server.lowercased().hasPrefix("puma") { clues.append("Server: \(server)") }
        if response.body.contains("Action Controller: Exception caught") { clues.append("Rails' debug page") }
        return clues
    }

    func fix(for failure: CheckFailureKind) -> String {
        switch failure {
        case .originNotAllowed(let origin): "origins ..., \"\(origin)\""
        case .methodNotAllowed(let method): "resource \"*\", methods: %i[... \(method.lowercased())]"
        case .headerNotAllowed(let name): "resource \"*\", headers: %w[... \(name)]"
        case .credentialsNotAllowed: "resource \"*\", credentials: true"
        case .wildcardWithCredentials(let origin): "origins \"\(origin)\"  # rack-cors refuses \"*\" with credentials: true"
        case .headerNotExposed(let name): "resource \"*\", expose: %w[... \(name)]"
        case .preflightNotOK, .preflightAnsweredWithoutCORS: "config.middleware.insert_before 0, Rack::Cors  # first, before authentication"
        case .preflightRedirected: "config.force_ssl = true  # exempt OPTIONS, or call the https URL directly"
        case .errorWithoutCORSHeaders: "config.middleware.insert_before 0, Rack::Cors  # outermost, so error responses keep the headers"
        case .duplicateAllowOrigin: "remove the proxy's Access-Control-* or Rack::Cors: one layer only"
        case .privateNetworkNotAllowed: "resource \"*\", ...  # rack-cors: set Access-Control-Allow-Private-Network in a before_action"
        }
    }
}
