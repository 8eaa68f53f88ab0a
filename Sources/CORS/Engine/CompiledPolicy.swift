import HTTPTypes

/// A policy compiled once: origin lookup tables, header and method sets, and every response
/// field value rendered in advance, so deciding a request renders nothing.
final class CompiledPolicy: Sendable {
    let policy: CORSPolicy
    let origins: OriginMatcher
    let headers: AllowedHeaderNames
    let allowsAnyMethod: Bool
    let methods: Set<String>
    let preflightStatus: HTTPResponse.Status
    let predicate: OriginPredicateEvaluator?

    // Pre-rendered response fields.
    let allowOriginWildcard = HTTPField(name: .accessControlAllowOrigin, value: "*")
    let allowCredentials: HTTPField?
    let allowMethods: HTTPField?
    let allowHeaders: HTTPField?
    let exposeHeaders: HTTPField?
    let maxAge: HTTPField?
    let allowPrivateNetwork: HTTPField?
    let varyOrigin = HTTPField(name: .vary, value: "Origin")
    static let varyOriginNames = ["Origin"]
    let varyPreflight: HTTPField
    let varyPreflightNames: [String]

    init(_ policy: CORSPolicy) {
        self.policy = policy
        let anyOrigin = policy.allowOrigins.contains("*")
        self.origins = OriginMatcher(
            allowsAnyOrigin: anyOrigin,
            allowsNull: policy.dangerouslyAllowNullOrigin && policy.allowOrigins.contains("null"),
            exact: Set(policy.allowOrigins.filter { $0 != "*" && $0 != "null" }),
            patterns: policy.allowOriginPatterns.map { text in
                let spelling = OriginSpelling(text, isPattern: true)
                return OriginPattern(
                    scheme: spelling.scheme, host: spelling.host, portText: spelling.portText, text: text)
            }
        )
        self.predicate = policy.originPredicate.map(OriginPredicateEvaluator.init)
        self.headers = AllowedHeaderNames(policy.allowHeaders)
        self.allowsAnyMethod = policy.allowMethods.contains("*")
        self.methods = Set(policy.allowMethods)
        self.preflightStatus = HTTPResponse.Status(code: policy.preflightStatus)

        // Header names are case-insensitive; methods are not (`PATCH` and `patch` differ).
        func list(_ name: HTTPField.Name, _ values: [String], caseSensitive: Bool = false) -> HTTPField? {
            var unique: [String] = []
            for value in values
            where !unique.contains(where: { caseSensitive ? $0 == value : $0.lowercased() == value.lowercased() }) {
                unique.append(value)
            }
            return unique.isEmpty ? nil : HTTPField(name: name, value: unique.joined(separator: ", "))
        }
        allowCredentials =
            policy.allowCredentials ? HTTPField(name: .accessControlAllowCredentials, value: "true") : nil
        allowMethods = list(.accessControlAllowMethods, policy.allowMethods, caseSensitive: true)
        allowHeaders = list(.accessControlAllowHeaders, policy.allowHeaders)
        exposeHeaders = list(.accessControlExposeHeaders, policy.exposeHeaders)
        maxAge = policy.maxAge.map { HTTPField(name: .accessControlMaxAge, value: String($0)) }
        allowPrivateNetwork =
            policy.allowPrivateNetwork ? HTTPField(name: .accessControlAllowPrivateNetwork, value: "true") : nil
        var varyNames = ["Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"]
        if policy.allowPrivateNetwork { varyNames.append("Access-Control-Request-Private-Network") }
        varyPreflightNames = varyNames
        varyPreflight = HTTPField(name: .vary, value: varyNames.joined(separator: ", "))
    }

    /// The response fields this layer owns: any the application set are replaced, so a
    /// response never carries two conflicting `Access-Control-Allow-Origin` values.
    static func isOwnedField(_ name: HTTPField.Name) -> Bool {
        FieldNameClassifier.isOwnedResponseField(name)
    }
}
