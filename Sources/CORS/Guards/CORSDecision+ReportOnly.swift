public import HTTPTypes

/// How the answer a request got differs from the answer a policy would give it: what
/// report-only mode counts before a team enforces a new policy.
public enum CORSPolicyDifference: Sendable, Hashable {
    /// The current answer lets the page go ahead; the policy would not.
    case wouldDeny
    /// The current answer blocks the page; the policy would let it go ahead.
    case wouldAllow
    /// Both agree on allowing or denying, but the policy would change these fields (lowercased
    /// names, sorted): `access-control-*` or `vary`.
    case wouldChangeHeaders([String])

    /// Every label, for metrics created up front.
    public static let labels = ["would-deny", "would-allow", "would-change-header"]

    /// The metric and log label: `would-deny`, `would-allow` or `would-change-header`.
    public var label: String {
        switch self {
        case .wouldDeny: "would-deny"
        case .wouldAllow: "would-allow"
        case .wouldChangeHeaders: "would-change-header"
        }
    }
}

extension CORSDecision {
    /// Compares the answer a request got (from the application, or the CORS layer in place)
    /// with the answer this decision would give it, and returns the difference, or `nil` when
    /// the browser would see the same CORS fields.
    ///
    /// "Lets the page go ahead" is judged as the browser's CORS check does, for the origin: an
    /// `Access-Control-Allow-Origin` equal to the origin or `*`, and for a preflight an ok status
    /// whose `Access-Control-Allow-Methods` / `-Headers` cover what was asked.
    ///
    /// - Parameters:
    ///   - request: The request (its `Access-Control-Request-*` fields are read for a preflight).
    ///   - status: The status of the answer it got.
    ///   - fields: The fields of the answer it got.
    public func difference(
        for request: HTTPRequest, observedStatus status: HTTPResponse.Status, observedFields fields: HTTPFields
    ) -> CORSPolicyDifference? {
        let expectedFields: HTTPFields
        if isPreflight {
            expectedFields = preflightHeaderFields
        } else {
            var applied = fields
            apply(to: &applied)
            expectedFields = applied
        }
        if let origin {
            let observedAllows = Self.lets(origin, through: status, fields, request: request, isPreflight: isPreflight)
            let policyAllows: Bool
            switch outcome {
            case .preflightAllowed, .actualAllowed: policyAllows = true
            default: policyAllows = false
            }
            if observedAllows && !policyAllows { return .wouldDeny }
            if !observedAllows && policyAllows { return .wouldAllow }
        }
        let changed = Self.changedCORSFieldNames(fields, expectedFields)
        return changed.isEmpty ? nil : .wouldChangeHeaders(changed)
    }

    /// Whether an answer passes the browser's CORS check for `origin`.
    static func lets(
        _ origin: String, through status: HTTPResponse.Status, _ fields: HTTPFields, request: HTTPRequest,
        isPreflight: Bool
    ) -> Bool {
        let allowOrigin = fields[values: .accessControlAllowOrigin]
        guard allowOrigin.count == 1, allowOrigin[0] == "*" || allowOrigin[0] == origin else { return false }
        guard isPreflight else { return true }
        guard status.kind == .successful else { return false }
        if let method = request.headerFields[.accessControlRequestMethod], !FetchMethodRules.isSafelisted(method) {
            let allowed = tokens(fields[values: .accessControlAllowMethods], lowercased: false)
            guard allowed.contains(method) || allowed.contains("*") else { return false }
        }
        let asked = tokens(request.headerFields[values: .accessControlRequestHeaders], lowercased: true)
        if !asked.isEmpty {
            let allowed = tokens(fields[values: .accessControlAllowHeaders], lowercased: true)
            guard allowed.contains("*") || asked.allSatisfy(allowed.contains) else { return false }
        }
        return true
    }

    /// The `access-control-*` and `vary` names whose values differ (Vary as a set of tokens).
    static func changedCORSFieldNames(_ observed: HTTPFields, _ expected: HTTPFields) -> [String] {
        func relevant(_ name: HTTPField.Name) -> Bool {
            name == .vary || name.canonicalName.hasPrefix("access-control-")
        }
        var names = Set<HTTPField.Name>()
        for field in observed where relevant(field.name) { names.insert(field.name) }
        for field in expected where relevant(field.name) { names.insert(field.name) }
        var changed: [String] = []
        for name in names {
            let before = observed[values: name]
            let after = expected[values: name]
            let differs =
                name == .vary
                ? tokens(before, lowercased: true) != tokens(after, lowercased: true)
                : before != after
            if differs { changed.append(name.canonicalName) }
        }
        return changed.sorted()
    }

    private static func tokens(_ values: [String], lowercased: Bool) -> Set<String> {
        var result = Set<String>()
        for value in values {
            for part in value.split(separator: ",") {
                var token = part
                while token.first == " " || token.first == "\t" { token.removeFirst() }
                while token.last == " " || token.last == "\t" { token.removeLast() }
                if !token.isEmpty { result.insert(lowercased ? token.lowercased() : String(token)) }
            }
        }
        return result
    }
}
