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
        var fields = HTTPFields()
        fields.reserveCapacity(8)
        apply(to: &fields)
        let status = isOriginTrusted ? compiled.preflightStatus : .forbidden
        return HTTPResponse(status: status, headerFields: fields)
    }

    /// Sets this decision's CORS fields on a response: replaces any `Access-Control-Allow-*`,
    /// `-Expose-Headers` and `-Max-Age` fields the application set, and appends to `Vary`.
    public func apply(to fields: inout HTTPFields) {
        if fields.contains(where: { CompiledPolicy.isOwnedField($0.name) }) {
            fields.removeAll { CompiledPolicy.isOwnedField($0.name) }
        }
        let policy = compiled
        // One growth of the response's storage at most, instead of one per appended field.
        fields.reserveCapacity(fields.count + 5)
        switch outcome {
        case .preflightAllowed, .preflightDenied:
            if isOriginTrusted, let origin {
                appendAllowOrigin(origin, to: &fields)
                if let field = policy.allowCredentials { fields.append(field) }
                if let field = policy.allowMethods { fields.append(field) }
                if let field = policy.allowHeaders { fields.append(field) }
                if case .preflightAllowed = outcome {
                    if let field = policy.maxAge { fields.append(field) }
                    if requestsPrivateNetwork, let field = policy.allowPrivateNetwork { fields.append(field) }
                }
            }
            VaryField.append(policy.varyPreflightNames, rendered: policy.varyPreflight, to: &fields)
            return
        case .actualAllowed:
            if let origin { appendAllowOrigin(origin, to: &fields) }
            if let field = policy.allowCredentials { fields.append(field) }
            if let field = policy.exposeHeaders { fields.append(field) }
        case .notCORS:
            // With `*` the answer is the same for everybody, so it is sent even without an
            // Origin: a cache may then serve it to any page.
            if policy.origins.allowsAnyOrigin {
                fields.append(policy.allowOriginWildcard)
                if let field = policy.exposeHeaders { fields.append(field) }
            }
        case .actualDenied:
            break
        }
        if isOptionsRequest {
            // A non-preflight OPTIONS shares its URL with preflights, whose answers differ.
            VaryField.append(policy.varyPreflightNames, rendered: policy.varyPreflight, to: &fields)
        } else if policy.origins.dependsOnOrigin {
            VaryField.append(["Origin"], rendered: policy.varyOrigin, to: &fields)
        }
    }

    /// The fields of ``apply(to:)`` on their own, for inspection and tests.
    public var headerFields: HTTPFields {
        var fields = HTTPFields()
        apply(to: &fields)
        return fields
    }

    private func appendAllowOrigin(_ origin: String, to fields: inout HTTPFields) {
        if compiled.origins.allowsAnyOrigin && !compiled.policy.allowCredentials {
            fields.append(compiled.allowOriginWildcard)
        } else {
            fields.append(HTTPField(name: .accessControlAllowOrigin, value: origin))
        }
    }
}
