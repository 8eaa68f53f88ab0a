/// nginx: `map`s compute the CORS state from the request, `add_header … always` writes the
/// fields on every status, `return` answers preflights in the server's rewrite phase (before
/// any `auth_basic`/`auth_request` of a location), and `proxy_hide_header` drops the upstream's
/// own `Access-Control-*` fields.
struct NginxStack: StackDialect {
    var displayName: String { "nginx" }
    var verification: String? {
        "verified with nginx/1.22.1 (Debian nginx-light) by ExportConformanceTests/nginx"
    }

    func export(_ model: PolicyExportModel, endpoints: ExportEndpoints) -> StackExport {
        var warnings = model.commonWarnings
        warnings.append(
            "nginx 1.22 and older read only the first Origin field; a request with two Origin fields is judged by the first (newer nginx joins them, which no rule trusts)"
        )
        func quoted(_ text: String) -> String { "\"" + text.replacing("\"", with: "\\\"") + "\"" }
        var lines: [String] = [exportHeader(comment: "#", model: model)]
        lines.append(
            """
            # Include this file inside http { }. It adds one server { }; keep the CORS lines below at server
            # level and add no add_header to its locations (a location with its own add_header drops these).

            # Is the origin trusted? Exact origins and patterns as anchored, case-sensitive regexes.
            map $http_origin $cors_origin {
                default untrusted;
                "" none;
                "~^.{\(PolicyExportModel.maximumOriginLength + 1)}" untrusted;
            """)
        if model.allowsAnyOrigin {
            lines.append("    \"~.\" trusted;")
        } else {
            for regex in model.originRegexes { lines.append("    \(quoted("~" + regex)) trusted;") }
        }
        lines.append("}")
        lines.append(
            """

            # Access-Control-Request-Method: GET, HEAD, POST and the listed methods, case-sensitive.
            map $http_access_control_request_method $cors_method {
                default denied;
                "" none;
                \(quoted("~" + model.methodRegex)) allowed;
            }

            # Access-Control-Request-Headers: every element granted, any case, at most \(PolicyExportModel.maximumRequestHeadersElements) elements and \(PolicyExportModel.maximumRequestHeadersBytes) bytes.
            map $http_access_control_request_headers $cors_headers {
                default denied;
                "" allowed;
                "~^.{\(PolicyExportModel.maximumRequestHeadersBytes + 1)}" denied;
            """)
        if let authorization = model.authorizationElementRegex {
            lines.append("    \(quoted("~*" + authorization)) denied;")
        }
        lines.append("    \(quoted("~*" + model.requestHeadersRegex)) allowed;")
        lines.append("}")
        lines.append(
            """

            # The CORS state: a preflight is OPTIONS + Origin + Access-Control-Request-Method; any other
            # OPTIONS request reaches the upstream.
            map "$request_method $cors_origin $cors_method $cors_headers" $cors_state {
                default other;
                "~^OPTIONS trusted allowed allowed$" preflight_allowed;
                "~^OPTIONS trusted (?:allowed|denied) " preflight_denied;
                "~^OPTIONS untrusted (?:allowed|denied) " preflight_untrusted;
                "~^\\S+ trusted " trusted;
            }
            """)
        let origin = model.allowsAnyOrigin ? "\"*\"" : "$http_origin"
        func fieldMap(_ variable: String, _ entries: [(String, String)], default fallback: String = "\"\"") {
            lines.append("\nmap $cors_state $\(variable) {")
            lines.append("    default \(fallback);")
            for (state, value) in entries { lines.append("    \(state) \(value);") }
            lines.append("}")
        }
        let granted = ["preflight_allowed", "preflight_denied"]
        fieldMap(
            "cors_allow_origin", (granted + ["trusted"]).map { ($0, origin) },
            default: model.allowsAnyOrigin ? "\"*\"" : "\"\"")
        if model.policy.allowCredentials {
            fieldMap("cors_allow_credentials", (granted + ["trusted"]).map { ($0, "true") })
        }
        if let methods = model.allowMethodsValue { fieldMap("cors_allow_methods", granted.map { ($0, quoted(methods)) }) }
        if let headers = model.allowHeadersValue { fieldMap("cors_allow_headers", granted.map { ($0, quoted(headers)) }) }
        if let expose = model.exposeHeadersValue {
            // A `*` policy exposes on every response but preflights.
            fieldMap(
                "cors_expose_headers",
                model.allowsAnyOrigin
                    ? granted.map { ($0, "\"\"") } : [("trusted", quoted(expose))],
                default: model.allowsAnyOrigin ? quoted(expose) : "\"\"")
        }
        if let maxAge = model.maxAgeValue { fieldMap("cors_max_age", [("preflight_allowed", maxAge)]) }
        if model.policy.allowPrivateNetwork {
            lines.append(
                """

                map "$cors_state $http_access_control_request_private_network" $cors_allow_private_network {
                    default "";
                    "preflight_allowed true" true;
                }
                """)
        }
        lines.append(
            """

            # Vary: the preflight's request fields on every OPTIONS response\(model.dependsOnOrigin ? ", Origin on every other response (denials included)" : "").
            map $request_method $cors_vary {
                default \(quoted(model.varyActualValue ?? ""));
                OPTIONS \(quoted(model.varyPreflightValue));
            }

            # An empty text for `return`: a literal "" would make nginx send its error page instead.
            map $cors_state $cors_no_body {
                default "";
            }

            # The upstream, with idle keep-alive connections reused across requests (with
            # `proxy_http_version 1.1` and an empty `Connection` below).
            upstream cors_upstream {
                server \(endpoints.upstreamServer);
                keepalive 32;
            }

            server {
                listen \(endpoints.listen);

                # Room for an oversized Access-Control-Request-Headers, so that it gets the policy's answer
                # rather than nginx's 400.
                large_client_header_buffers 4 128k;

                # The upstream's own CORS fields never reach the browser: only this policy's do.
            """)
        for field in PolicyExportModel.ownedFields { lines.append("    proxy_hide_header \(field);") }
        lines.append("\n    # `always`: 4xx and 5xx responses (nginx's own included) carry the fields too.")
        var adds: [(String, String)] = [("Access-Control-Allow-Origin", "cors_allow_origin")]
        if model.policy.allowCredentials { adds.append(("Access-Control-Allow-Credentials", "cors_allow_credentials")) }
        if model.allowMethodsValue != nil { adds.append(("Access-Control-Allow-Methods", "cors_allow_methods")) }
        if model.allowHeadersValue != nil { adds.append(("Access-Control-Allow-Headers", "cors_allow_headers")) }
        if model.exposeHeadersValue != nil { adds.append(("Access-Control-Expose-Headers", "cors_expose_headers")) }
        if model.maxAgeValue != nil { adds.append(("Access-Control-Max-Age", "cors_max_age")) }
        if model.policy.allowPrivateNetwork {
            adds.append(("Access-Control-Allow-Private-Network", "cors_allow_private_network"))
        }
        adds.append(("Vary", "cors_vary"))
        for (field, variable) in adds { lines.append("    add_header \(field) $\(variable) always;") }
        let status = model.preflightStatus
        lines.append(
            """

                # Preflights are answered here, in the server's rewrite phase: before any location, its
                # auth_basic or auth_request, and the upstream. A trusted origin asking for a method or
                # header the policy lacks still gets an ok status and the real lists, so that the browser's
                # console names what is missing; an untrusted origin gets 403 and no Access-Control-*.
                if ($cors_state = preflight_allowed) { return \(status) $cors_no_body; }
                if ($cors_state = preflight_denied) { return \(status) $cors_no_body; }
                if ($cors_state = preflight_untrusted) { return 403 $cors_no_body; }

                location / {
                    proxy_pass \(endpoints.upstreamScheme)://cors_upstream\(endpoints.upstreamPath);
                    proxy_http_version 1.1;
                    proxy_set_header Host $host;
                    proxy_set_header Connection "";
                }
            }
            """)
        return StackExport(
            stack: .nginx, configuration: lines.joined(separator: "\n") + "\n", warnings: warnings,
            verification: verification)
    }

    func evidence(in response: StackResponse) -> [String] {
        var clues: [String] = []
        if StackKnowledge.serverProduct(response) == "nginx", let server = response.value("Server") {
            clues.append("Server: \(server)")
        }
        if response.body.contains("<hr><center>nginx") { clues.append("nginx's error page") }
        if let via = response.value("Via"), via.lowercased().contains("nginx") { clues.append("Via: \(via)") }
        return clues
    }

    func fix(for failure: CheckFailureKind) -> String {
        switch failure {
        case .originNotAllowed(let origin):
            "map $http_origin $cors_origin { \"~^\(PolicyExportModel.escaped(origin))$\" trusted; }  # and add_header Access-Control-Allow-Origin $cors_allow_origin always;"
        case .methodNotAllowed(let method):
            "add_header Access-Control-Allow-Methods \"GET, POST, PUT, DELETE, \(method)\" always;"
        case .headerNotAllowed(let name):
            "add_header Access-Control-Allow-Headers \"Authorization, Content-Type, \(name)\" always;"
        case .credentialsNotAllowed:
            "add_header Access-Control-Allow-Credentials true always;"
        case .wildcardWithCredentials:
            "add_header Access-Control-Allow-Origin $cors_allow_origin always;  # the trusted origin from a map on $http_origin, never \"*\""
        case .headerNotExposed(let name):
            "add_header Access-Control-Expose-Headers \"\(name)\" always;"
        case .preflightNotOK:
            "if ($request_method = OPTIONS) { return 204; }  # at server level, before auth_basic/auth_request and the upstream, with the add_header … always lines"
        case .preflightAnsweredWithoutCORS(let path):
            "if ($request_method = OPTIONS) { return 204; }  # in the location for \(path), with its add_header … always lines: OPTIONS reaches the upstream today"
        case .preflightRedirected:
            "if ($request_method = OPTIONS) { return 204; }  # before the rewrite/return that redirects, with the add_header … always lines"
        case .errorWithoutCORSHeaders(_, let origin):
            "add_header Access-Control-Allow-Origin \(origin.map { "\"\($0)\"" } ?? "$cors_allow_origin") always;  # `always` on every add_header, or 4xx/5xx responses lose them"
        case .duplicateAllowOrigin:
            "proxy_hide_header Access-Control-Allow-Origin;  # keep one layer's CORS fields: the upstream's are dropped"
        case .privateNetworkNotAllowed:
            "add_header Access-Control-Allow-Private-Network $cors_allow_private_network always;"
        }
    }
}
