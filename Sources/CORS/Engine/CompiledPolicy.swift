import HTTPTypes

/// A policy compiled once: origin lookup tables, header and method sets, and every response
/// field rendered in advance — down to whole preflight answers for each exact origin — so that
/// deciding a request renders nothing in the common cases.
final class CompiledPolicy: Sendable {
    let policy: CORSPolicy
    let origins: OriginMatcher
    let headers: AllowedHeaderNames
    let allowsAnyMethod: Bool
    let methods: Set<String>
    let preflightStatus: HTTPResponse.Status
    let predicate: OriginPredicateEvaluator?
    let fields: RenderedFields

    /// The answers prepared for one exact origin of the policy.
    struct ExactOriginAnswers: Sendable {
        /// `Access-Control-Allow-Origin` with the origin.
        let allowOrigin: HTTPField
        /// A whole allowed preflight answer, without and with the Private Network Access grant.
        let preflightAllowed: HTTPFields
        let preflightAllowedPrivateNetwork: HTTPFields?
        /// A whole refused preflight answer (trusted origin, method or header not allowed).
        let preflightRefused: HTTPFields
    }

    /// Indexed like ``OriginMatcher/exactOrigins``; empty for a policy that allows any origin
    /// without credentials (every answer then carries `*`).
    let exactOriginAnswers: [ExactOriginAnswers]

    /// Policies with more exact origins than this prepare the `Access-Control-Allow-Origin`
    /// field of each, but build preflight answers per request, so compiling stays cheap in
    /// memory (three small field lists per origin).
    static let preparedPreflightLimit = 1_000

    init(_ policy: CORSPolicy) {
        self.policy = policy
        let anyOrigin = policy.allowOrigins.contains("*")
        let origins = OriginMatcher(
            allowsAnyOrigin: anyOrigin,
            allowsNull: policy.dangerouslyAllowNullOrigin && policy.allowOrigins.contains("null"),
            exact: policy.allowOrigins.filter { $0 != "*" && $0 != "null" },
            patterns: policy.allowOriginPatterns.map { text in
                let spelling = OriginSpelling(text, isPattern: true)
                return OriginPattern(
                    scheme: spelling.scheme, host: spelling.host, portText: spelling.portText, text: text)
            }
        )
        self.origins = origins
        self.predicate = policy.originPredicate.map(OriginPredicateEvaluator.init)
        self.headers = AllowedHeaderNames(policy.allowHeaders)
        self.allowsAnyMethod = policy.allowMethods.contains("*")
        self.methods = Set(policy.allowMethods)
        self.preflightStatus = HTTPResponse.Status(code: policy.preflightStatus)
        let fields = RenderedFields(policy)
        self.fields = fields

        let prepareAnswers = origins.exactOrigins.count <= Self.preparedPreflightLimit
        self.exactOriginAnswers = origins.exactOrigins.map { origin in
            let allowOrigin = HTTPField(name: .accessControlAllowOrigin, value: origin)
            guard prepareAnswers else {
                return ExactOriginAnswers(
                    allowOrigin: allowOrigin, preflightAllowed: HTTPFields(), preflightAllowedPrivateNetwork: nil,
                    preflightRefused: HTTPFields())
            }
            return ExactOriginAnswers(
                allowOrigin: allowOrigin,
                preflightAllowed: fields.preflightAnswer(
                    allowOrigin: allowOrigin, allowed: true, requestsPrivateNetwork: false),
                preflightAllowedPrivateNetwork: fields.allowPrivateNetwork == nil
                    ? nil
                    : fields.preflightAnswer(allowOrigin: allowOrigin, allowed: true, requestsPrivateNetwork: true),
                preflightRefused: fields.preflightAnswer(
                    allowOrigin: allowOrigin, allowed: false, requestsPrivateNetwork: false))
        }
    }

    /// Whether whole preflight answers were prepared for the exact origins.
    var hasPreparedPreflightAnswers: Bool { origins.exactOrigins.count <= Self.preparedPreflightLimit }

    /// The response fields this layer owns: any the application set are replaced, so a
    /// response never carries two conflicting `Access-Control-Allow-Origin` values.
    static func isOwnedField(_ name: HTTPField.Name) -> Bool {
        FieldNameClassifier.isOwnedResponseField(name)
    }
}
