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

    /// The fields of ``preflightResponse()``, in one allocation: for adapters whose response
    /// type takes a status and fields separately.
    public var preflightHeaderFields: HTTPFields {
        var fields = HTTPFields()
        // Room for every field a preflight answer can carry, so the storage never grows.
        fields.reserveCapacity(8)
        apply(to: &fields)
        return fields
    }

    /// Sets this decision's CORS fields on a response: replaces any `Access-Control-Allow-*`,
    /// `-Expose-Headers` and `-Max-Age` fields the application set, and appends to `Vary`.
    public func apply(to fields: inout HTTPFields) {
        if fields.contains(where: { CompiledPolicy.isOwnedField($0.name) }) {
            fields.removeAll { CompiledPolicy.isOwnedField($0.name) }
        }
        // One growth of the response's storage at most, instead of one per appended field.
        fields.reserveCapacity(fields.count + 5)
        let vary = varyRequirement.flatMap { VaryField.addition($0.names, rendered: $0.rendered, to: fields) }
        forEachCORSField { fields.append($0) }
        if let vary { fields.append(vary) }
    }

    /// Passes `body` the fields ``apply(to:)`` adds to a response that has no `Vary` and no
    /// `Access-Control-*` field of its own (the common case), in order — for adapters whose
    /// header type is not `HTTPFields`, so they copy nothing.
    package func forEachField(ofBareResponse body: (HTTPField) -> Void) {
        forEachCORSField(body)
        if let required = varyRequirement { body(required.rendered) }
    }

    /// The `Vary` names this decision's response must carry, and the field that carries them
    /// all; `nil` when the answer does not depend on the request.
    private var varyRequirement: (names: [String], rendered: HTTPField)? {
        let policy = compiled
        switch outcome {
        case .preflightAllowed, .preflightDenied:
            return (policy.varyPreflightNames, policy.varyPreflight)
        case .actualAllowed, .actualDenied, .notCORS:
            if isOptionsRequest {
                // A non-preflight OPTIONS shares its URL with preflights, whose answers differ.
                return (policy.varyPreflightNames, policy.varyPreflight)
            }
            return policy.origins.dependsOnOrigin ? (CompiledPolicy.varyOriginNames, policy.varyOrigin) : nil
        }
    }

    /// The `Access-Control-*` fields of this decision, in order.
    private func forEachCORSField(_ body: (HTTPField) -> Void) {
        let policy = compiled
        switch outcome {
        case .preflightAllowed, .preflightDenied:
            guard isOriginTrusted, let origin else { return }
            body(allowOriginField(origin))
            if let field = policy.allowCredentials { body(field) }
            if let field = policy.allowMethods { body(field) }
            if let field = policy.allowHeaders { body(field) }
            if case .preflightAllowed = outcome {
                if let field = policy.maxAge { body(field) }
                if requestsPrivateNetwork, let field = policy.allowPrivateNetwork { body(field) }
            }
        case .actualAllowed:
            if let origin { body(allowOriginField(origin)) }
            if let field = policy.allowCredentials { body(field) }
            if let field = policy.exposeHeaders { body(field) }
        case .notCORS:
            // With `*` the answer is the same for everybody, so it is sent even without an
            // Origin: a cache may then serve it to any page.
            if policy.origins.allowsAnyOrigin {
                body(policy.allowOriginWildcard)
                if let field = policy.exposeHeaders { body(field) }
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
        if compiled.origins.allowsAnyOrigin && !compiled.policy.allowCredentials {
            compiled.allowOriginWildcard
        } else {
            HTTPField(name: .accessControlAllowOrigin, value: origin)
        }
    }
}
