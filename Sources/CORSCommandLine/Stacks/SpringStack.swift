/// Spring (Web MVC / WebFlux): a `CorsConfigurationSource` bean, which Spring Security's
/// `http.cors()` also uses, so preflights pass before authentication.
struct SpringStack: StackDialect {
    var displayName: String { "Spring (CorsConfiguration)" }
    var verification: String? { nil }

    func export(_ model: PolicyExportModel, endpoints: ExportEndpoints) -> StackExport {
        func list(_ values: [String]) -> String { "List.of(" + values.map { "\"\($0)\"" }.joined(separator: ", ") + ")" }
        var warnings = model.commonWarnings
        warnings.append("Spring answers a preflight asking for a method or header the policy lacks with 403 \"Invalid CORS request\", not an ok status with the real lists")
        var body: [String] = ["        CorsConfiguration cors = new CorsConfiguration();"]
        if model.allowsAnyOrigin {
            body.append("        cors.setAllowedOrigins(List.of(\"*\"));")
        } else {
            // Exact regexes, not Spring's own pattern syntax, so the origins trusted are exactly the policy's.
            body.append("        Pattern trusted = Pattern.compile(\"\(model.originRegex.replacing("\\", with: "\\\\"))\");")
            body.append("        cors.setAllowedOriginPatterns(List.of(\"*\"));  // narrowed by checkOrigin below")
        }
        if model.policy.allowCredentials { body.append("        cors.setAllowCredentials(true);") }
        if !model.policy.allowMethods.isEmpty { body.append("        cors.setAllowedMethods(\(list(model.policy.allowMethods)));") }
        if !model.policy.allowHeaders.isEmpty { body.append("        cors.setAllowedHeaders(\(list(model.policy.allowHeaders)));") }
        if !model.policy.exposeHeaders.isEmpty { body.append("        cors.setExposedHeaders(\(list(model.policy.exposeHeaders)));") }
        if let maxAge = model.policy.maxAge { body.append("        cors.setMaxAge(\(maxAge)L);") }
        if model.policy.allowPrivateNetwork { body.append("        cors.setAllowPrivateNetwork(true);") }
        let configuration = """
            \(exportHeader(comment: "//", model: model))
            import java.util.List;
            import java.util.regex.Pattern;
            import org.springframework.context.annotation.Bean;
            import org.springframework.context.annotation.Configuration;
            import org.springframework.web.cors.CorsConfiguration;
            import org.springframework.web.cors.CorsConfigurationSource;
            import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

            @Configuration
            public class CorsPolicyConfiguration {
                @Bean
                public CorsConfigurationSource corsConfigurationSource() {
            \(body.joined(separator: "\n"))
                    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
                    source.registerCorsConfiguration("/**", \(model.allowsAnyOrigin ? "cors" : """
            new CorsConfiguration(cors) {
                        @Override
                        public String checkOrigin(String origin) {
                            return origin != null && origin.length() <= \(PolicyExportModel.maximumOriginLength) && trusted.matcher(origin).matches() ? origin : null;
                        }
                    }
            """));
                    return source;
                }
            }
            // With Spring Security: http.cors(Customizer.withDefaults()), so preflights pass before authentication.

            """
        return StackExport(stack: .spring, configuration: configuration, warnings: warnings, verification: nil)
    }

    func evidence(in response: StackResponse) -> [String] {
        var clues: [String] = []
        if response.body.contains("Invalid CORS request") { clues.append("body 'Invalid CORS request' (Spring's DefaultCorsProcessor)") }
        if response.body.contains("\"timestamp\"") && response.body.contains("\"path\"") && response.body.contains("\"error\"") {
            clues.append("Spring Boot's JSON error body")
        }
        if response.body.contains("Whitelabel Error Page") { clues.append("Spring Boot's Whitelabel Error Page") }
        return clues
    }

    func fix(for failure: CheckFailureKind) -> String {
        switch failure {
        case .originNotAllowed(let origin): "cors.setAllowedOrigins(List.of(..., \"\(origin)\"));  // or @CrossOrigin(origins = \"\(origin)\")"
        case .methodNotAllowed(let method): "cors.setAllowedMethods(List.of(..., \"\(method)\"));"
        case .headerNotAllowed(let name): "cors.setAllowedHeaders(List.of(..., \"\(name)\"));"
        case .credentialsNotAllowed: "cors.setAllowCredentials(true);"
        case .wildcardWithCredentials(let origin): "cors.setAllowedOrigins(List.of(\"\(origin)\"));  // not \"*\" with setAllowCredentials(true)"
        case .headerNotExposed(let name): "cors.setExposedHeaders(List.of(..., \"\(name)\"));"
        case .preflightNotOK, .preflightAnsweredWithoutCORS: "http.cors(Customizer.withDefaults());  // Spring Security: answer preflights before authentication"
        case .preflightRedirected: "http.requiresChannel(...)  // no https redirect for OPTIONS; call the https URL directly"
        case .errorWithoutCORSHeaders: "source.registerCorsConfiguration(\"/**\", cors);  // a CorsFilter bean, not @CrossOrigin: error dispatches keep the headers"
        case .duplicateAllowOrigin: "remove the proxy's Access-Control-* or the CorsConfiguration: one layer only"
        case .privateNetworkNotAllowed: "cors.setAllowPrivateNetwork(true);"
        }
    }
}
