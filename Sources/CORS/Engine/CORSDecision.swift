public import HTTPTypes

/// What the engine concluded about one request, and the response fields that follow from it.
///
/// Adapters apply a decision; they never decide. For a preflight (``isPreflight``) the adapter
/// answers with ``preflightResponse()`` and does not call the application. For any other
/// request it calls the application and then ``apply(to:)`` on the response's fields — also on
/// error responses, so that a 500 reaches the page as a 500 and not as a CORS error.
public struct CORSDecision: Sendable {
    /// The kinds of decision.
    public enum Outcome: Sendable, Hashable {
        /// No `Origin` header: not a CORS request (same-origin, or not from a browser).
        case notCORS
        /// A preflight the browser will accept.
        case preflightAllowed
        /// A preflight refused for the given reason. For a trusted origin the response still
        /// carries the policy's real lists, so that the browser's console names what is missing.
        case preflightDenied(CORSDenialReason)
        /// A cross-origin request whose response the page may read.
        case actualAllowed
        /// A cross-origin request from an untrusted origin: it reaches the application, but its
        /// response carries no `Access-Control-*` field, so the browser hides it from the page.
        case actualDenied(CORSDenialReason)
    }

    /// The kind of decision, with the reason for a denial.
    public let outcome: Outcome
    /// The request's `Origin` value, when it had exactly one.
    public let origin: String?
    /// Whether the origin is trusted; a trusted origin's refused preflight still gets
    /// `Access-Control-Allow-Origin`.
    public let isOriginTrusted: Bool

    let compiled: CompiledPolicy
    let isOptionsRequest: Bool
    let requestsPrivateNetwork: Bool
    /// The position of the trusted origin among the policy's exact origins, whose answers are
    /// prepared in advance; -1 for any other origin.
    let exactOriginPosition: Int

    /// Whether the adapter must answer the request itself with ``preflightResponse()``.
    public var isPreflight: Bool {
        switch outcome {
        case .preflightAllowed, .preflightDenied: true
        default: false
        }
    }

    /// Whether the browser will let the page go ahead.
    public var isAllowed: Bool {
        switch outcome {
        case .preflightAllowed, .actualAllowed, .notCORS: true
        case .preflightDenied, .actualDenied: false
        }
    }

    /// The reason for a denial, or `nil`.
    public var denialReason: CORSDenialReason? {
        switch outcome {
        case .preflightDenied(let reason), .actualDenied(let reason): reason
        default: nil
        }
    }

    /// The complete answer to a preflight: status 204 (or the policy's 200) when the origin is
    /// trusted, 403 when it is not, with the fields of ``apply(to:)``.
    public func preflightResponse() -> HTTPResponse {
        HTTPResponse(status: preflightStatus, headerFields: preflightHeaderFields)
    }

    /// The status of ``preflightResponse()``: 204 (or the policy's 200) for a trusted origin,
    /// 403 for any other.
    public var preflightStatus: HTTPResponse.Status {
        isOriginTrusted ? compiled.preflightStatus : .forbidden
    }

    /// The fields of ``preflightResponse()``: for adapters whose response type takes a status
    /// and fields separately. For a policy's exact origin the answer was prepared when the
    /// policy was compiled and is shared (no allocation); otherwise it takes one allocation.
    public var preflightHeaderFields: HTTPFields {
        if let prepared = preparedPreflightAnswer { return prepared }
        var fields = HTTPFields()
        // Room for every field a preflight answer can carry, so the storage never grows.
        fields.reserveCapacity(8)
        apply(to: &fields)
        return fields
    }

    /// The whole preflight answer prepared for the policy's exact origin, if there is one.
    private var preparedPreflightAnswer: HTTPFields? {
        guard exactOriginPosition >= 0, compiled.hasPreparedPreflightAnswers else { return nil }
        let answers = compiled.exactOriginAnswers[exactOriginPosition]
        switch outcome {
        case .preflightAllowed:
            return requestsPrivateNetwork ? answers.preflightAllowedPrivateNetwork ?? answers.preflightAllowed
                : answers.preflightAllowed
        case .preflightDenied:
            return answers.preflightRefused
        default:
            return nil
        }
    }

    /// Sets this decision's CORS fields on a response: replaces any `Access-Control-Allow-*`,
    /// `-Expose-Headers` and `-Max-Age` fields the application set, and appends to `Vary`.
    public func apply(to fields: inout HTTPFields) {
        var hasOwnedField = false
        var hasVary = false
        for field in fields {
            let name = field.name
            if FieldNameClassifier.isVary(name) {
                hasVary = true
            } else if CompiledPolicy.isOwnedField(name) {
                hasOwnedField = true
            }
        }
        if hasOwnedField {
            fields.removeAll { CompiledPolicy.isOwnedField($0.name) }
        }
        let vary = varyRequirement
        if !hasVary {
            // The common case: nothing to merge, so the prepared fields go in as they are, with
            // one growth of the response's storage at most.
            fields.reserveCapacity(fields.count + 6)
            forEachCORSField { fields.append($0) }
            if let field = varyField(vary) { fields.append(field) }
            return
        }
        let addition = varyField(vary).flatMap { rendered in
            VaryField.addition(varyNames(vary), rendered: rendered, to: fields)
        }
        fields.reserveCapacity(fields.count + 6)
        forEachCORSField { fields.append($0) }
        if let addition { fields.append(addition) }
    }

    /// Passes `body` the fields ``apply(to:)`` adds to a response that has no `Vary` and no
    /// `Access-Control-*` field of its own (the common case), in order — for adapters whose
    /// header type is not `HTTPFields`, so they copy nothing.
    package func forEachField(ofBareResponse body: (HTTPField) -> Void) {
        if let prepared = preparedPreflightAnswer {
            for field in prepared { body(field) }
            return
        }
        forEachCORSField(body)
        if let field = varyField(varyRequirement) { body(field) }
    }

    /// Which `Vary` names this decision's response must carry.
    private enum VaryRequirement {
        case none
        case origin
        case preflight
    }

    /// The `Vary` names this decision's response must carry: none when the answer does not
    /// depend on the request.
    private var varyRequirement: VaryRequirement {
        switch outcome {
        case .preflightAllowed, .preflightDenied:
            return .preflight
        case .actualAllowed, .actualDenied, .notCORS:
            if isOptionsRequest {
                // A non-preflight OPTIONS shares its URL with preflights, whose answers differ.
                return .preflight
            }
            return compiled.origins.dependsOnOrigin ? .origin : .none
        }
    }

    private func varyField(_ requirement: VaryRequirement) -> HTTPField? {
        switch requirement {
        case .none: nil
        case .origin: compiled.fields.varyOrigin
        case .preflight: compiled.fields.varyPreflight
        }
    }

    private func varyNames(_ requirement: VaryRequirement) -> [String] {
        switch requirement {
        case .none: []
        case .origin: RenderedFields.varyOriginNames
        case .preflight: compiled.fields.varyPreflightNames
        }
    }

    /// The `Access-Control-*` fields of this decision, in order.
    private func forEachCORSField(_ body: (HTTPField) -> Void) {
        let rendered = compiled.fields
        switch outcome {
        case .preflightAllowed, .preflightDenied:
            guard isOriginTrusted, let origin else { return }
            var allowed = false
            if case .preflightAllowed = outcome { allowed = true }
            rendered.forEachPreflightField(
                allowOrigin: allowOriginField(origin), allowed: allowed,
                requestsPrivateNetwork: requestsPrivateNetwork, body)
        case .actualAllowed:
            guard let origin else { return }
            rendered.forEachActualField(allowOrigin: allowOriginField(origin), body)
        case .notCORS:
            // With `*` the answer is the same for everybody, so it is sent even without an
            // Origin: a cache may then serve it to any page.
            if compiled.origins.allowsAnyOrigin {
                body(rendered.allowOriginWildcard)
                if let field = rendered.exposeHeaders { body(field) }
            }
        case .actualDenied:
            break
        }
    }

    /// The fields of ``apply(to:)`` on their own, for inspection and tests.
    public var headerFields: HTTPFields {
        var fields = HTTPFields()
        apply(to: &fields)
        return fields
    }

    private func allowOriginField(_ origin: String) -> HTTPField {
        if exactOriginPosition >= 0 {
            compiled.exactOriginAnswers[exactOriginPosition].allowOrigin
        } else if compiled.origins.allowsAnyOrigin && !compiled.policy.allowCredentials {
            compiled.fields.allowOriginWildcard
        } else {
            HTTPField(name: .accessControlAllowOrigin, value: origin)
        }
    }
}
