/// Apache httpd 2.4: mod_rewrite computes the CORS state into an environment variable and
/// answers preflights (before authentication, which runs later), mod_headers `always` writes
/// the fields on every status and `Header unset` drops the upstream's own.
struct ApacheStack: StackDialect {
    var displayName: String { "Apache httpd" }
    var verification: String? { nil }

    func export(_ model: PolicyExportModel, endpoints: ExportEndpoints) -> StackExport {
        var warnings = model.commonWarnings
        warnings.append("Apache: a refused preflight of an untrusted origin gets Apache's 403 error page as its body")
        let origin = model.allowsAnyOrigin ? "*" : "%{HTTP:Origin}"
        var lines = [exportHeader(comment: "#", model: model)]
        lines.append(
            """
            # Needs: a2enmod headers rewrite proxy proxy_http; and Listen \(endpoints.listen) in ports.conf.
            <VirtualHost \(endpoints.listen)>
                RewriteEngine On
                # Origin trusted? Exact origins and patterns as one anchored, case-sensitive regex.
                RewriteCond %{HTTP:Origin} "\(model.allowsAnyOrigin ? "." : model.originRegex)"
                RewriteRule ^ - [E=CORS_TRUSTED:1]
                # Preflight: OPTIONS + Origin + Access-Control-Request-Method.
                RewriteCond %{REQUEST_METHOD} =OPTIONS
                RewriteCond %{HTTP:Origin} .
                RewriteCond %{HTTP:Access-Control-Request-Method} .
                RewriteRule ^ - [E=CORS_PREFLIGHT:1]
                RewriteCond %{ENV:CORS_PREFLIGHT} =1
                RewriteCond %{HTTP:Access-Control-Request-Method} "\(model.methodRegex)"
                RewriteCond %{HTTP:Access-Control-Request-Headers} "^$" [OR]
                RewriteCond %{HTTP:Access-Control-Request-Headers} "\(model.requestHeadersRegex)" [NC]
                RewriteRule ^ - [E=CORS_GRANTED:1]
                # Untrusted preflights: 403 and no Access-Control-*; trusted ones: ok status and the real lists.
                RewriteCond %{ENV:CORS_PREFLIGHT} =1
                RewriteCond %{ENV:CORS_TRUSTED} !=1
                RewriteRule ^ - [R=403,L]
                RewriteCond %{ENV:CORS_PREFLIGHT} =1
                RewriteRule ^ - [R=\(model.preflightStatus),L]

                # The upstream's own CORS fields never reach the browser.
            """)
        for field in PolicyExportModel.ownedFields { lines.append("    Header unset \(field)") }
        let trusted = "\"expr=reqenv('CORS_TRUSTED') == '1'\""
        let preflight = "\"expr=reqenv('CORS_TRUSTED') == '1' && reqenv('CORS_PREFLIGHT') == '1'\""
        let actual = model.allowsAnyOrigin ? "\"expr=reqenv('CORS_PREFLIGHT') != '1'\"" : "\"expr=reqenv('CORS_TRUSTED') == '1' && reqenv('CORS_PREFLIGHT') != '1'\""
        lines.append("    # `always`: error responses carry the fields too.")
        lines.append("    Header always set Access-Control-Allow-Origin \"\(origin)\" \(model.allowsAnyOrigin ? "\"expr=true\"" : trusted)")
        if model.policy.allowCredentials { lines.append("    Header always set Access-Control-Allow-Credentials \"true\" \(trusted)") }
        if let methods = model.allowMethodsValue { lines.append("    Header always set Access-Control-Allow-Methods \"\(methods)\" \(preflight)") }
        if let headers = model.allowHeadersValue { lines.append("    Header always set Access-Control-Allow-Headers \"\(headers)\" \(preflight)") }
        if let maxAge = model.maxAgeValue { lines.append("    Header always set Access-Control-Max-Age \"\(maxAge)\" \"expr=reqenv('CORS_GRANTED') == '1'\"") }
        if let expose = model.exposeHeadersValue { lines.append("    Header always set Access-Control-Expose-Headers \"\(expose)\" \(actual)") }
        if model.policy.allowPrivateNetwork {
            lines.append("    Header always set Access-Control-Allow-Private-Network \"true\" \"expr=reqenv('CORS_GRANTED') == '1' && req('Access-Control-Request-Private-Network') == 'true'\"")
        }
        lines.append("    Header always merge Vary \"\(model.varyPreflightValue)\" \"expr=%{REQUEST_METHOD} == 'OPTIONS'\"")
        if let vary = model.varyActualValue { lines.append("    Header always merge Vary \"\(vary)\" \"expr=%{REQUEST_METHOD} != 'OPTIONS'\"") }
        lines.append(
            """

                ProxyPass "/" "\(endpoints.upstream)/"
                ProxyPassReverse "/" "\(endpoints.upstream)/"
            </VirtualHost>

            """)
        return StackExport(stack: .apache, configuration: lines.joined(separator: "\n"), warnings: warnings, verification: nil)
    }

    func evidence(in response: StackResponse) -> [String] {
        var clues: [String] = []
        if StackKnowledge.serverProduct(response) == "apache", let server = response.value("Server") { clues.append("Server: \(server)") }
        if response.body.contains("<address>Apache/") { clues.append("Apache's error page") }
        return clues
    }

    func fix(for failure: CheckFailureKind) -> String {
        switch failure {
        case .originNotAllowed(let origin): "SetEnvIf Origin \"^\(PolicyExportModel.escaped(origin))$\" CORS_TRUSTED=1  # then Header always set Access-Control-Allow-Origin \"%{Origin}i\" env=CORS_TRUSTED"
        case .methodNotAllowed(let method): "Header always set Access-Control-Allow-Methods \"GET, POST, PUT, DELETE, \(method)\" env=CORS_TRUSTED"
        case .headerNotAllowed(let name): "Header always set Access-Control-Allow-Headers \"Authorization, Content-Type, \(name)\" env=CORS_TRUSTED"
        case .credentialsNotAllowed: "Header always set Access-Control-Allow-Credentials \"true\" env=CORS_TRUSTED"
        case .wildcardWithCredentials: "Header always set Access-Control-Allow-Origin \"%{Origin}i\" env=CORS_TRUSTED  # never \"*\" with credentials"
        case .headerNotExposed(let name): "Header always set Access-Control-Expose-Headers \"\(name)\" env=CORS_TRUSTED"
        case .preflightNotOK, .preflightAnsweredWithoutCORS: "RewriteCond %{REQUEST_METHOD} =OPTIONS\nRewriteRule ^ - [R=204,L]  # answers the preflight before authentication"
        case .preflightRedirected: "RewriteCond %{REQUEST_METHOD} !=OPTIONS  # above the RewriteRule that redirects"
        case .errorWithoutCORSHeaders: "Header always set Access-Control-Allow-Origin \"%{Origin}i\" env=CORS_TRUSTED  # `always`, or errors lose it"
        case .duplicateAllowOrigin: "Header unset Access-Control-Allow-Origin  # before your Header always set: drops the upstream's"
        case .privateNetworkNotAllowed: "Header always set Access-Control-Allow-Private-Network \"true\" env=CORS_TRUSTED"
        }
    }
}
