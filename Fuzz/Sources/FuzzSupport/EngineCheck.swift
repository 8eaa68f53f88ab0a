public import CORS
public import HTTPTypes

/// The promises of the server engine, checked on one request against an independent oracle.
public enum EngineCheck {
    /// The longest `Origin` the engine considers (documented on `OriginMatcher`); longer ones
    /// are refused unread, which is always safe.
    public static let maximumOriginLength = 320

    /// A request to `https://api.example.com/me` whose fields carry raw bytes, as a server
    /// framework may hand them over (only CR, LF and NUL are impossible on the wire).
    public static func request(_ method: HTTPRequest.Method, _ fields: [(HTTPField.Name, [UInt8])]) -> HTTPRequest {
        var headerFields = HTTPFields()
        for (name, value) in fields {
            headerFields.append(HTTPField(name: name, lenientValue: value))
        }
        return HTTPRequest(
            method: method, scheme: "https", authority: "api.example.com", path: "/me", headerFields: headerFields)
    }

    /// Decides `request` and checks every invariant on the decision and on the fields it emits
    /// (the preflight response, or `appFields` after `apply(to:)`). Returns the decision and
    /// the emitted fields for target-specific checks.
    @discardableResult
    public static func run(
        _ engine: CORSEngine, _ request: HTTPRequest, appFields: HTTPFields = HTTPFields()
    ) -> (CORSDecision, HTTPFields) {
        let policy = engine.policy
        let origins = Bytes.values(.origin, in: request.headerFields)
        let anyOrigin = policy.allowOrigins.contains("*")
        let oracleTrusts = origins.count == 1 && OriginOracle.trusts(policy, origin: origins[0])
        let decision = engine.decide(request)
        let context = { "policy \(policy.allowOrigins) \(policy.allowOriginPatterns), origins \(origins.map(show))" }

        // Trust: never beyond the oracle; always when the oracle trusts (bar the length bound).
        if decision.isOriginTrusted {
            require(oracleTrusts, "engine trusts an origin the policy does not allow: \(context())")
        } else if oracleTrusts {
            require(
                !anyOrigin && origins[0].count > maximumOriginLength,
                "engine refuses an origin the policy allows: \(context())")
        }

        // The outcome agrees with the request's shape.
        let isOptions = request.method == .options
        let hasRequestMethod = request.headerFields.contains { $0.name == .accessControlRequestMethod }
        require((decision.outcome == .notCORS) == origins.isEmpty, "notCORS iff no Origin: \(context())")
        require(
            decision.isPreflight == (isOptions && hasRequestMethod && !origins.isEmpty),
            "preflight iff OPTIONS + Origin + ACRM: \(context())")
        switch decision.outcome {
        case .preflightAllowed, .actualAllowed:
            require(decision.isOriginTrusted, "allowed outcome without a trusted origin: \(context())")
        default:
            break
        }

        // The emitted fields.
        var fields = appFields
        if decision.isPreflight {
            let response = decision.preflightResponse()
            fields = response.headerFields
            let expected = decision.isOriginTrusted ? policy.preflightStatus : 403
            require(response.status.code == expected, "preflight status \(response.status.code), expected \(expected)")
        } else {
            decision.apply(to: &fields)
        }
        for field in fields {
            require(
                HTTPField.isValidValue(Bytes.of(field)),
                "invalid field value \(field.name): \(show(Bytes.of(field))); \(context())")
        }

        let allowOrigin = Bytes.values(.accessControlAllowOrigin, in: fields)
        require(allowOrigin.count <= 1, "several Access-Control-Allow-Origin lines: \(context())")
        if let value = allowOrigin.first {
            if value == Bytes.of("*") {
                require(anyOrigin && !policy.allowCredentials, "ACAO * without a public policy: \(context())")
            } else {
                require(
                    origins.count == 1 && value == origins[0] && oracleTrusts,
                    "ACAO \(show(value)) is not the request's trusted origin: \(context())")
            }
        }
        let allowCredentials = Bytes.values(.accessControlAllowCredentials, in: fields)
        if !allowCredentials.isEmpty {
            require(
                policy.allowCredentials && allowOrigin.count == 1 && allowOrigin[0] != Bytes.of("*"),
                "ACAC without an explicit ACAO: \(context())")
        }
        let accessControl = fields.filter { $0.name.canonicalName.hasPrefix("access-control-") }
        if !origins.isEmpty && !decision.isOriginTrusted {
            require(
                accessControl.isEmpty,
                "Access-Control-* fields for an untrusted origin: \(accessControl.map(\.description)); \(context())")
        }
        if origins.isEmpty {
            require(
                accessControl.allSatisfy { $0.name == .accessControlAllowOrigin || $0.name == .accessControlExposeHeaders }
                    && (accessControl.isEmpty || anyOrigin),
                "Access-Control-* fields on a non-CORS request: \(accessControl.map(\.description))")
        }
        if !fields[values: .accessControlMaxAge].isEmpty {
            require(decision.outcome == .preflightAllowed, "Max-Age on a response that is not an allowed preflight")
        }

        // Vary: whenever the answer depends on the origin (and, for OPTIONS, on the preflight
        // request headers).
        let vary = Set(fields.filter { $0.name == .vary }.flatMap { Bytes.listElements(Bytes.of($0)) }.map(Bytes.lower))
        func varies(_ name: String) -> Bool { vary.contains(Bytes.of("*")) || vary.contains(Bytes.lower(Bytes.of(name))) }
        if decision.isPreflight || isOptions {
            for name in ["Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"] {
                require(varies(name), "OPTIONS response without Vary: \(name); \(context())")
            }
        } else if !anyOrigin {
            require(varies("Origin"), "origin-dependent response without Vary: Origin; \(context())")
        }
        return (decision, fields)
    }
}
