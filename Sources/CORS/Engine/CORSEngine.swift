public import HTTPTypes
import CORSWebSyntax

/// Decides what a ``CORSPolicy`` means for a request: a pure function from an `HTTPRequest`
/// to a ``CORSDecision``, with the policy compiled once.
///
/// ```swift
/// let engine = CORSEngine(policy: .tutorial)
/// let decision = engine.decide(request)
/// if decision.isPreflight { return decision.preflightResponse() }
/// var response = try await next(request)
/// decision.apply(to: &response.headerFields)
/// ```
public struct CORSEngine: Sendable {
    let compiled: CompiledPolicy

    /// The policy this engine applies.
    public var policy: CORSPolicy { compiled.policy }

    /// Compiles `policy`. Do this once, not per request.
    public init(policy: CORSPolicy) {
        self.compiled = CompiledPolicy(policy)
    }

    /// Classifies `request` and decides it with the policy's static rules.
    ///
    /// An origin that only the policy's ``CORSPolicy/originPredicate`` could trust is denied
    /// here; use the `async` overload to consult the predicate.
    ///
    /// A preflight is exactly `OPTIONS` with `Origin` and `Access-Control-Request-Method`
    /// (Fetch §3.2.2); any other `OPTIONS` request is an ordinary request for the application.
    public func decide(_ request: HTTPRequest) -> CORSDecision {
        decide(CORSRequestFacts(request))
    }

    /// Like the synchronous `decide(_:)`, and also asks the policy's ``CORSOriginPredicate``
    /// about origins that the static rules do not trust. Adapters call this one; without a predicate it
    /// never suspends.
    public func decide(_ request: HTTPRequest) async -> CORSDecision {
        await decide(CORSRequestFacts(request))
    }

    /// Decides a request from its ``CORSRequestFacts`` with the policy's static rules, for
    /// adapters that gather the facts without building an `HTTPRequest`.
    public func decide(_ facts: CORSRequestFacts) -> CORSDecision {
        guard facts.originCount == 1, let origin = facts.origin else {
            return decide(facts, match: nil)
        }
        return decide(facts, match: compiled.origins.match(origin))
    }

    /// Like the synchronous `decide(_:)` of the facts, and also asks the policy's
    /// ``CORSOriginPredicate`` about origins that the static rules do not trust.
    public func decide(_ facts: CORSRequestFacts) async -> CORSDecision {
        guard facts.originCount == 1, let origin = facts.origin else {
            return decide(facts, match: nil)
        }
        if let match = compiled.origins.match(origin) {
            return decide(facts, match: match)
        }
        guard let predicate = compiled.predicate else {
            return decide(facts, match: nil)
        }
        switch await predicate.evaluate(origin) {
        case .success(let isAllowed):
            return decide(facts, match: nil, predicateTrusts: isAllowed)
        case .failure(let failure):
            return decide(
                facts, match: nil, untrustedReason: .originPredicateFailed(origin: origin, failure: failure))
        }
    }

    func decide(
        _ facts: CORSRequestFacts, match: OriginMatcher.Match?, predicateTrusts: Bool = false,
        untrustedReason: CORSDenialReason? = nil
    ) -> CORSDecision {
        let outcome: CORSDecision.Outcome
        var trusted = match != nil || predicateTrusts
        if facts.originCount == 0 {
            outcome = .notCORS
        } else if facts.originCount > 1 {
            trusted = false
            outcome = facts.isPreflight ? .preflightDenied(.multipleOrigins) : .actualDenied(.multipleOrigins)
        } else if !trusted {
            let reason = untrustedReason ?? .originNotAllowed(origin: facts.origin ?? "")
            outcome = facts.isPreflight ? .preflightDenied(reason) : .actualDenied(reason)
        } else if facts.isPreflight {
            outcome = preflightOutcome(facts)
        } else {
            outcome = .actualAllowed
        }
        var exactOrigin = -1
        if trusted, case .exact(let position)? = match { exactOrigin = position }
        return CORSDecision(
            outcome: outcome, origin: facts.originCount == 1 ? facts.origin : nil, isOriginTrusted: trusted,
            compiled: compiled, isOptionsRequest: facts.isOptions,
            requestsPrivateNetwork: facts.requestsPrivateNetwork, exactOriginPosition: exactOrigin)
    }

    private func preflightOutcome(_ facts: CORSRequestFacts) -> CORSDecision.Outcome {
        guard facts.requestMethodCount == 1, let method = facts.requestMethod,
            ASCII.isToken(method)
        else { return .preflightDenied(.malformedRequestMethod) }
        // Fetch "CORS-preflight fetch" step 7: safelisted methods always pass; otherwise the
        // comparison is case-sensitive, as in the browser.
        if !(FetchMethodRules.isSafelisted(method) || compiled.allowsAnyMethod
            || compiled.methods.contains(method))
        {
            return .preflightDenied(.methodNotAllowed(method: method))
        }
        if let requestHeaders = facts.requestHeaders {
            switch RequestHeadersScanner.scan(
                requestHeaders, byteCount: facts.requestHeadersByteCount, allowed: compiled.headers)
            {
            case .allowed: break
            case .notAllowed(let name): return .preflightDenied(.headerNotAllowed(name: name))
            case .malformed: return .preflightDenied(.malformedRequestHeaders)
            case .tooLarge(let count): return .preflightDenied(.requestHeadersTooLarge(byteCount: count))
            }
        }
        return .preflightAllowed
    }
}
