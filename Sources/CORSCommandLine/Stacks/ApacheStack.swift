/// Apache httpd 2.4: mod_rewrite computes the CORS state into environment variables and
/// answers preflights in the translate phase (before authentication, which runs later),
/// mod_headers `always` writes the fields on every status and `Header unset` drops the
/// upstream's own.
///
/// Preflight bodies stay empty: a 204 has none, a 200 preflight is served from `/dev/null`
/// (OPTIONS on a file: 200, `Allow`, no body), and the 403 of an untrusted preflight gets
/// `/dev/null` as its `ErrorDocument` instead of Apache's HTML page.
struct ApacheStack: StackDialect {
    var displayName: String { "Apache httpd" }
    var verification: String? {
        "verified with Apache/2.4 (Debian apache2) by ExportConformanceTests/apache"
    }

    func export(_ model: PolicyExportModel, endpoints: ExportEndpoints) -> StackExport {
        let warnings = model.commonWarnings
        func quoted(_ text: String) -> String { "\"" + text.replacing("\"", with: "\\\"") + "\"" }
        let origin = model.allowsAnyOrigin ? "\"*\"" : "\"expr=%{req_novary:Origin}\""
        let empty = "/.cors-preflight-empty"
        var lines = [exportHeader(comment: "#", model: model)]
        lines.append(
            """
            # Needs: a2enmod headers rewrite alias proxy proxy_http; Listen \(endpoints.listen) in ports.conf; and, for
            # Access-Control-Request-Headers over 8 KiB to get the policy's answer rather than a 400,
            # LimitRequestFieldSize 131072 in the server config.
            <VirtualHost \(endpoints.listen)>
                RewriteEngine On
                # Origin trusted? Exact origins and patterns as one anchored, case-sensitive regex, at most \(PolicyExportModel.maximumOriginLength) bytes.
                RewriteCond %{HTTP:Origin} !^.{\(PolicyExportModel.maximumOriginLength + 1)} [NV]
                RewriteCond %{HTTP:Origin} \(quoted(model.allowsAnyOrigin ? "." : model.originRegex)) [NV]
                RewriteRule ^ - [E=CORS_TRUSTED:1]
                RewriteCond %{REQUEST_METHOD} =OPTIONS
                RewriteRule ^ - [E=CORS_OPTIONS:1]
                # Preflight: OPTIONS + Origin + Access-Control-Request-Method.
                RewriteCond %{REQUEST_METHOD} =OPTIONS
                RewriteCond %{HTTP:Origin} . [NV]
                RewriteCond %{HTTP:Access-Control-Request-Method} . [NV]
                RewriteRule ^ - [E=CORS_PREFLIGHT:1]
                # Granted: the method, and every requested header (at most \(PolicyExportModel.maximumRequestHeadersBytes) bytes, \(PolicyExportModel.maximumRequestHeadersElements) elements).
                RewriteCond %{ENV:CORS_PREFLIGHT} =1
                RewriteCond %{ENV:CORS_TRUSTED} =1
                RewriteCond %{HTTP:Access-Control-Request-Method} \(quoted(model.methodRegex)) [NV]
                RewriteCond %{HTTP:Access-Control-Request-Headers} !^.{\(PolicyExportModel.maximumRequestHeadersBytes + 1)} [NV]
            """)
        if let authorization = model.authorizationElementRegex {
            lines.append("    RewriteCond %{HTTP:Access-Control-Request-Headers} \(quoted("!" + authorization)) [NC,NV]")
        }
        lines.append(
            """
                RewriteCond %{HTTP:Access-Control-Request-Headers} "^$" [OR,NV]
                RewriteCond %{HTTP:Access-Control-Request-Headers} \(quoted(model.requestHeadersRegex)) [NC,NV]
                RewriteRule ^ - [E=CORS_GRANTED:1]
                # Untrusted preflights: 403, no Access-Control-*, empty body; trusted ones: ok status and the real lists.
                RewriteCond %{ENV:CORS_PREFLIGHT} =1
                RewriteCond %{ENV:CORS_TRUSTED} !=1
                RewriteRule ^ - [R=403,L]
                RewriteCond %{ENV:CORS_PREFLIGHT} =1
            """)
        if model.preflightStatus == 200 {
            lines.append("    # OPTIONS on an empty file: 200 with no body.")
            lines.append("    RewriteRule ^ /dev/null [END]")
        } else {
            lines.append("    RewriteRule ^ - [R=\(model.preflightStatus),L]")
        }
        lines.append(
            """
                Alias \(empty) /dev/null
                ErrorDocument 403 \(empty)

                # The upstream's own CORS fields never reach the browser.
            """)
        for field in PolicyExportModel.ownedFields { lines.append("    Header unset \(field)") }
        let trusted = "\"expr=reqenv('CORS_TRUSTED') == '1'\""
        let preflight = "\"expr=reqenv('CORS_TRUSTED') == '1' && reqenv('CORS_PREFLIGHT') == '1'\""
        let actual =
            model.allowsAnyOrigin
            ? "\"expr=reqenv('CORS_PREFLIGHT') != '1' && (reqenv('CORS_TRUSTED') == '1' || -z %{req_novary:Origin})\""
            : "\"expr=reqenv('CORS_TRUSTED') == '1' && reqenv('CORS_PREFLIGHT') != '1'\""
        let allowOriginCondition =
            model.allowsAnyOrigin ? "\"expr=reqenv('CORS_TRUSTED') == '1' || -z %{req_novary:Origin}\"" : trusted
        // An ErrorDocument is an internal redirect as GET: the OPTIONS mark survives as REDIRECT_CORS_OPTIONS.
        let options = "reqenv('CORS_OPTIONS') == '1' || reqenv('REDIRECT_CORS_OPTIONS') == '1'"
        lines.append("    # `always`: error responses carry the fields too.")
        lines.append("    Header always set Access-Control-Allow-Origin \(origin) \(allowOriginCondition)")
        if model.policy.allowCredentials { lines.append("    Header always set Access-Control-Allow-Credentials \"true\" \(trusted)") }
        if let methods = model.allowMethodsValue { lines.append("    Header always set Access-Control-Allow-Methods \(quoted(methods)) \(preflight)") }
        if let headers = model.allowHeadersValue { lines.append("    Header always set Access-Control-Allow-Headers \(quoted(headers)) \(preflight)") }
        if let maxAge = model.maxAgeValue { lines.append("    Header always set Access-Control-Max-Age \"\(maxAge)\" \"expr=reqenv('CORS_GRANTED') == '1'\"") }
        if let expose = model.exposeHeadersValue { lines.append("    Header always set Access-Control-Expose-Headers \(quoted(expose)) \(actual)") }
        if model.policy.allowPrivateNetwork {
            lines.append(
                "    Header always set Access-Control-Allow-Private-Network \"true\" \"expr=reqenv('CORS_GRANTED') == '1' && %{req_novary:Access-Control-Request-Private-Network} == 'true'\""
            )
        }
        // Vary after the upstream's own: appended to its Vary when it sent one (the proxied
        // response's fields), set with `always` otherwise, so that Apache's own error responses
        // carry it too.
        func vary(_ value: String, when condition: String) {
            lines.append("    Header merge Vary \(quoted(value)) \"expr=\(condition)\"")
            lines.append("    Header always merge Vary \(quoted(value)) \"expr=-z resp('Vary') && (\(condition))\"")
        }
        vary(model.varyPreflightValue, when: options)
        if let actualVary = model.varyActualValue { vary(actualVary, when: "!(\(options))") }
        lines.append(
            """

                ProxyPass "\(empty)" !
                ProxyPass "/" "\(endpoints.upstream)/"
                ProxyPassReverse "/" "\(endpoints.upstream)/"
            </VirtualHost>

            """)
        return StackExport(stack: .apache, configuration: lines.joined(separator: "\n"), warnings: warnings, verification: verification)
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
