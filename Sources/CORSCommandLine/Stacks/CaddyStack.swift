/// Caddy: `map`s compute the CORS state, `header` sets the fields before the response is
/// written (so Caddy's own errors keep them), `respond` answers preflights first inside one
/// `route` (order as written: before any auth placed after it), and `header_down` drops the
/// upstream's own `Access-Control-*` fields and appends `Vary`.
struct CaddyStack: StackDialect {
    var displayName: String { "Caddy" }
    var verification: String? { "verified with Caddy v2.6.2 (Debian caddy) by ExportConformanceTests/caddy" }

    func export(_ model: PolicyExportModel, endpoints: ExportEndpoints) -> StackExport {
        var warnings = model.commonWarnings
        warnings.append(
            "Caddy's regular expressions (RE2) cannot count to \(PolicyExportModel.maximumRequestHeadersBytes): an Access-Control-Request-Headers over \(PolicyExportModel.maximumRequestHeadersBytes) bytes whose every element is granted is accepted, where swift-cors refuses it")
        func quoted(_ text: String) -> String { "\"" + text.replacing("\"", with: "\\\"") + "\"" }
        let origin = model.allowsAnyOrigin ? "*" : "{http.request.header.Origin}"
        var lines: [String] = [exportHeader(comment: "#", model: model)]
        lines.append(
            """
            # Run: caddy run --config Caddyfile --adapter caddyfile
            {
            \tadmin off
            \tauto_https off
            }

            http://\(endpoints.listen) {
            \troute {
            \t\t# Is the origin trusted? Exact origins and patterns as anchored, case-sensitive regexes.
            \t\tmap {http.request.header.Origin} {cors_origin} {
            \t\t\t"~^$" none
            \t\t\t"~^.{\(PolicyExportModel.maximumOriginLength + 1)}" untrusted
            """)
        if model.allowsAnyOrigin {
            lines.append("\t\t\t\"~.\" trusted")
        } else {
            for regex in model.originRegexes { lines.append("\t\t\t\(quoted("~" + regex)) trusted") }
        }
        lines.append(
            """
            \t\t\tdefault untrusted
            \t\t}
            \t\t# Access-Control-Request-Method: GET, HEAD, POST and the listed methods, case-sensitive.
            \t\tmap {http.request.header.Access-Control-Request-Method} {cors_method} {
            \t\t\t"~^$" none
            \t\t\t\(quoted("~" + model.methodRegex)) allowed
            \t\t\tdefault denied
            \t\t}
            \t\t# Access-Control-Request-Headers: every element granted, any case, at most \(PolicyExportModel.maximumRequestHeadersElements) elements.
            \t\tmap {http.request.header.Access-Control-Request-Headers} {cors_headers} {
            \t\t\t"~^$" allowed
            """)
        if let authorization = model.authorizationElementRegex {
            lines.append("\t\t\t\(quoted("~(?i)" + authorization)) denied")
        }
        lines.append(
            """
            \t\t\t\(quoted("~(?i)" + model.requestHeadersRegex)) allowed
            \t\t\tdefault denied
            \t\t}
            \t\t# The CORS state: a preflight is OPTIONS + Origin + Access-Control-Request-Method; any other
            \t\t# OPTIONS request reaches the upstream.
            \t\tmap "{http.request.method} {cors_origin} {cors_method} {cors_headers}" {cors_state} {
            \t\t\t"~^OPTIONS trusted allowed allowed$" preflight_allowed
            \t\t\t"~^OPTIONS trusted (?:allowed|denied) " preflight_denied
            \t\t\t"~^OPTIONS untrusted (?:allowed|denied) " preflight_untrusted
            \t\t\t"~^\\S+ trusted " trusted
            \t\t\tdefault other
            \t\t}

            \t\t@cors_preflight_granted vars {cors_state} preflight_allowed preflight_denied
            \t\t@cors_preflight_allowed vars {cors_state} preflight_allowed
            \t\t@cors_preflight_untrusted vars {cors_state} preflight_untrusted
            """)
        if model.allowsAnyOrigin {
            lines.append("\t\t@cors_actual not vars {cors_state} preflight_allowed preflight_denied preflight_untrusted")
        } else {
            lines.append("\t\t@cors_actual vars {cors_state} trusted")
        }
        lines.append("\t\t@cors_options method OPTIONS")
        // A trusted origin asking for a method or header the policy lacks still gets an ok status
        // and the real lists, so that the browser's console names what is missing.
        lines.append("\n\t\t# Preflights, answered here before anything else in this route (put auth after them).")
        lines.append("\t\theader @cors_preflight_granted {")
        lines.append("\t\t\tAccess-Control-Allow-Origin \(quoted(origin))")
        if model.policy.allowCredentials { lines.append("\t\t\tAccess-Control-Allow-Credentials true") }
        if let methods = model.allowMethodsValue { lines.append("\t\t\tAccess-Control-Allow-Methods \(quoted(methods))") }
        if let headers = model.allowHeadersValue { lines.append("\t\t\tAccess-Control-Allow-Headers \(quoted(headers))") }
        lines.append("\t\t\tVary \(quoted(model.varyPreflightValue))")
        lines.append("\t\t}")
        if let maxAge = model.maxAgeValue { lines.append("\t\theader @cors_preflight_allowed Access-Control-Max-Age \(maxAge)") }
        if model.policy.allowPrivateNetwork {
            lines.append(
                """
                \t\t@cors_private_network {
                \t\t\tvars {cors_state} preflight_allowed
                \t\t\theader Access-Control-Request-Private-Network true
                \t\t}
                \t\theader @cors_private_network Access-Control-Allow-Private-Network true
                """)
        }
        lines.append("\t\theader @cors_preflight_untrusted Vary \(quoted(model.varyPreflightValue))")
        lines.append("\t\trespond @cors_preflight_granted \(model.preflightStatus)")
        lines.append("\t\trespond @cors_preflight_untrusted 403")
        lines.append("\n\t\t# Other requests: set before the upstream answers, so errors carry them too.")
        lines.append("\t\theader @cors_actual {")
        lines.append("\t\t\tAccess-Control-Allow-Origin \(quoted(origin))")
        if model.policy.allowCredentials { lines.append("\t\t\tAccess-Control-Allow-Credentials true") }
        if let expose = model.exposeHeadersValue { lines.append("\t\t\tAccess-Control-Expose-Headers \(quoted(expose))") }
        lines.append("\t\t}")
        func proxy(_ matcher: String, vary: String?) {
            lines.append("\t\treverse_proxy \(matcher)\(endpoints.upstream) {")
            lines.append("\t\t\t# The upstream's own CORS fields never reach the browser: only this policy's do.")
            for field in PolicyExportModel.ownedFields { lines.append("\t\t\theader_down -\(field)") }
            if let vary { lines.append("\t\t\theader_down +Vary \(quoted(vary))") }
            lines.append("\t\t}")
        }
        proxy("@cors_options ", vary: model.varyPreflightValue)
        proxy("", vary: model.varyActualValue)
        lines.append("\t}\n}")
        return StackExport(
            stack: .caddy, configuration: lines.joined(separator: "\n") + "\n", warnings: warnings,
            verification: verification)
    }

    func evidence(in response: StackResponse) -> [String] {
        var clues: [String] = []
        if StackKnowledge.serverProduct(response) == "caddy", let server = response.value("Server") {
            clues.append("Server: \(server)")
        }
        if let via = response.value("Via"), via.lowercased().contains("caddy") { clues.append("Via: \(via)") }
        return clues
    }

    func fix(for failure: CheckFailureKind) -> String {
        switch failure {
        case .originNotAllowed(let origin):
            "@cors_trusted header Origin \(origin)  # then: header @cors_trusted Access-Control-Allow-Origin {http.request.header.Origin}"
        case .methodNotAllowed(let method):
            "header @cors_preflight Access-Control-Allow-Methods \"GET, POST, PUT, DELETE, \(method)\""
        case .headerNotAllowed(let name):
            "header @cors_preflight Access-Control-Allow-Headers \"Authorization, Content-Type, \(name)\""
        case .credentialsNotAllowed:
            "header @cors_trusted Access-Control-Allow-Credentials true"
        case .wildcardWithCredentials:
            "header @cors_trusted Access-Control-Allow-Origin {http.request.header.Origin}  # only for a matcher of trusted origins, never \"*\""
        case .headerNotExposed(let name):
            "header @cors_trusted Access-Control-Expose-Headers \"\(name)\""
        case .preflightNotOK, .preflightAnsweredWithoutCORS, .preflightRedirected:
            "route { respond @cors_preflight 204 … }  # first in the route, before basicauth/forward_auth, redir and reverse_proxy"
        case .errorWithoutCORSHeaders(_, let origin?):
            "header Access-Control-Allow-Origin \"\(origin)\"  # the site's header directive, not reverse_proxy's header_down: Caddy's own errors (502, 504) keep it"
        case .errorWithoutCORSHeaders:
            "header @cors_trusted Access-Control-Allow-Origin {http.request.header.Origin}  # the site's header directive, not header_down, so Caddy's own errors keep it"
        case .duplicateAllowOrigin:
            "reverse_proxy … { header_down -Access-Control-Allow-Origin }"
        case .privateNetworkNotAllowed:
            "header @cors_preflight Access-Control-Allow-Private-Network true"
        }
    }
}
