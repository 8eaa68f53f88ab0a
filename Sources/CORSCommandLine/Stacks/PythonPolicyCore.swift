/// The policy as plain Python: the decision every Python export (ASGI for FastAPI/Starlette,
/// WSGI for Flask and Django, aiohttp) shares, so that each stack's file only adapts it to the
/// framework's request and response.
enum PythonPolicyCore {
    /// A Python string literal (raw strings cannot end in a backslash; these never need one).
    static func literal(_ text: String) -> String {
        "\"" + text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
    }

    /// The module-level constants and `cors_decide(method, origins, request_methods,
    /// request_headers, private_network)` → `(kind, status, fields, vary)`: `kind` is
    /// "preflight" (answer with `status` and `fields`, empty body) or "actual" (add `fields` to
    /// the application's response, replacing its own Access-Control-*, and append `vary`).
    static func source(_ model: PolicyExportModel) -> String {
        let origins = model.allowsAnyOrigin ? "[]" : "[\n" + model.originRegexes.map { "    re.compile(\(literal($0))),\n" }.joined() + "]"
        func optional(_ value: String?) -> String { value.map(literal) ?? "None" }
        return """
            import re

            CORS_ANY_ORIGIN = \(model.allowsAnyOrigin ? "True" : "False")
            # Exact origins and patterns as anchored, case-sensitive regexes; origins over \(PolicyExportModel.maximumOriginLength) bytes never match.
            CORS_TRUSTED_ORIGINS = \(origins)
            CORS_METHOD = re.compile(\(literal(model.methodRegex)))
            CORS_REQUEST_HEADERS = re.compile(\(literal(model.requestHeadersRegex)), re.IGNORECASE)
            CORS_AUTHORIZATION = \(model.authorizationElementRegex.map { "re.compile(\(literal($0)), re.IGNORECASE)" } ?? "None")
            CORS_CREDENTIALS = \(model.policy.allowCredentials ? "True" : "False")
            CORS_ALLOW_METHODS = \(optional(model.allowMethodsValue))
            CORS_ALLOW_HEADERS = \(optional(model.allowHeadersValue))
            CORS_EXPOSE_HEADERS = \(optional(model.exposeHeadersValue))
            CORS_MAX_AGE = \(optional(model.maxAgeValue))
            CORS_PRIVATE_NETWORK = \(model.policy.allowPrivateNetwork ? "True" : "False")
            CORS_PREFLIGHT_STATUS = \(model.preflightStatus)
            CORS_VARY_PREFLIGHT = \(literal(model.varyPreflightValue))
            CORS_VARY_ACTUAL = \(optional(model.varyActualValue))
            # The fields this layer owns: the application's own are dropped.
            CORS_OWNED = {\(PolicyExportModel.ownedFields.map { literal($0.lowercased()) }.joined(separator: ", "))}


            def cors_origin_trusted(origin):
                if CORS_ANY_ORIGIN:
                    return True
                if len(origin) > \(PolicyExportModel.maximumOriginLength) or "\\n" in origin:
                    return False
                return any(pattern.match(origin) for pattern in CORS_TRUSTED_ORIGINS)


            def cors_decide(method, origins, request_methods, request_headers, private_network):
                \"\"\"Lists of field values in, the CORS answer out: (kind, status, fields, vary).\"\"\"
                origin = origins[0] if len(origins) == 1 else None
                trusted = origin is not None and cors_origin_trusted(origin)
                allow_origin = "*" if CORS_ANY_ORIGIN else origin
                if method == "OPTIONS" and origins and request_methods:
                    # A preflight: OPTIONS + Origin + Access-Control-Request-Method.
                    if not trusted:
                        return "preflight", 403, [], CORS_VARY_PREFLIGHT
                    joined = ",".join(request_headers)
                    allowed = (
                        len(request_methods) == 1
                        and CORS_METHOD.match(request_methods[0]) is not None
                        and len(joined) <= \(PolicyExportModel.maximumRequestHeadersBytes)
                        and (CORS_AUTHORIZATION is None or CORS_AUTHORIZATION.search(joined) is None)
                        and (not request_headers or CORS_REQUEST_HEADERS.match(joined) is not None)
                    )
                    # A trusted origin asking for more than the policy grants still gets an ok status and
                    # the real lists, so that the browser's console names what is missing.
                    fields = [("Access-Control-Allow-Origin", allow_origin)]
                    if CORS_CREDENTIALS:
                        fields.append(("Access-Control-Allow-Credentials", "true"))
                    if CORS_ALLOW_METHODS:
                        fields.append(("Access-Control-Allow-Methods", CORS_ALLOW_METHODS))
                    if CORS_ALLOW_HEADERS:
                        fields.append(("Access-Control-Allow-Headers", CORS_ALLOW_HEADERS))
                    if allowed and CORS_MAX_AGE:
                        fields.append(("Access-Control-Max-Age", CORS_MAX_AGE))
                    if allowed and CORS_PRIVATE_NETWORK and private_network == ["true"]:
                        fields.append(("Access-Control-Allow-Private-Network", "true"))
                    return "preflight", CORS_PREFLIGHT_STATUS, fields, CORS_VARY_PREFLIGHT
                vary = CORS_VARY_PREFLIGHT if method == "OPTIONS" else CORS_VARY_ACTUAL
                fields = []
                if trusted or (CORS_ANY_ORIGIN and not origins):
                    fields.append(("Access-Control-Allow-Origin", allow_origin))
                    if CORS_CREDENTIALS:
                        fields.append(("Access-Control-Allow-Credentials", "true"))
                    if CORS_EXPOSE_HEADERS:
                        fields.append(("Access-Control-Expose-Headers", CORS_EXPOSE_HEADERS))
                return "actual", None, fields, vary


            def cors_merge(app_fields, fields, vary):
                \"\"\"The application's fields without its own Access-Control-*, then the policy's, then Vary.\"\"\"
                merged = [(name, value) for name, value in app_fields if name.lower() not in CORS_OWNED]
                merged += fields
                if vary:
                    present = {
                        item.strip().lower()
                        for name, value in merged if name.lower() == "vary"
                        for item in value.split(",")
                    }
                    missing = [item for item in vary.split(", ") if item.lower() not in present]
                    if missing:
                        merged.append(("Vary", ", ".join(missing)))
                return merged
            """
    }
}
