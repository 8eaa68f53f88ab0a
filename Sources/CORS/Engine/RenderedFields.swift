import HTTPTypes

/// Every response field a policy can produce, rendered once, and the one place that says which
/// of them each kind of answer carries, in which order.
///
/// ``CORSDecision`` emits these per request; ``CompiledPolicy`` also uses them ahead of time to
/// build whole preflight answers for each exact origin, so both paths give the same fields.
struct RenderedFields: Sendable {
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

    /// The `Access-Control-*` fields of a preflight answer to a trusted origin, in order.
    /// A refused preflight still carries the real lists, so the browser's console names what is
    /// missing; only an allowed one carries `Max-Age` and the Private Network Access grant.
    @inline(__always)
    func forEachPreflightField(
        allowOrigin: HTTPField, allowed: Bool, requestsPrivateNetwork: Bool, _ body: (HTTPField) -> Void
    ) {
        body(allowOrigin)
        if let allowCredentials { body(allowCredentials) }
        if let allowMethods { body(allowMethods) }
        if let allowHeaders { body(allowHeaders) }
        if allowed {
            if let maxAge { body(maxAge) }
            if requestsPrivateNetwork, let allowPrivateNetwork { body(allowPrivateNetwork) }
        }
    }

    /// The `Access-Control-*` fields of an allowed actual request's response, in order.
    @inline(__always)
    func forEachActualField(allowOrigin: HTTPField, _ body: (HTTPField) -> Void) {
        body(allowOrigin)
        if let allowCredentials { body(allowCredentials) }
        if let exposeHeaders { body(exposeHeaders) }
    }

    /// A whole preflight answer's fields for a trusted origin, `Vary` included, in one
    /// allocation.
    func preflightAnswer(allowOrigin: HTTPField, allowed: Bool, requestsPrivateNetwork: Bool) -> HTTPFields {
        var fields = HTTPFields()
        // Room for every field a preflight answer can carry, so the storage never grows.
        fields.reserveCapacity(8)
        forEachPreflightField(allowOrigin: allowOrigin, allowed: allowed, requestsPrivateNetwork: requestsPrivateNetwork) {
            fields.append($0)
        }
        fields.append(varyPreflight)
        return fields
    }
}
