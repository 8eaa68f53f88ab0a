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
        let facts = RequestFacts(request)
        let trusted: Bool
        if let origin = facts.origin {
            trusted = compiled.origins.match(origin) != nil
        } else {
            trusted = false
        }
        return decide(facts, originTrusted: trusted, request: request)
    }

    /// Like ``decide(_:)``, and also asks the policy's ``CORSOriginPredicate`` about origins
    /// that the static rules do not trust. Adapters call this one; without a predicate it never
    /// suspends.
    public func decide(_ request: HTTPRequest) async -> CORSDecision {
        let facts = RequestFacts(request)
        guard facts.originCount == 1, let origin = facts.origin else {
            return decide(facts, originTrusted: false, request: request)
        }
        if compiled.origins.match(origin) != nil {
            return decide(facts, originTrusted: true, request: request)
        }
        guard let predicate = compiled.predicate else {
            return decide(facts, originTrusted: false, request: request)
        }
        switch await predicate.evaluate(origin) {
        case .success(let isAllowed):
            return decide(facts, originTrusted: isAllowed, request: request)
        case .failure(let failure):
            return decide(
                facts, originTrusted: false, request: request,
                untrustedReason: .originPredicateFailed(origin: origin, failure: failure))
        }
    }

    func decide(
        _ facts: RequestFacts, originTrusted: Bool, request: HTTPRequest,
        untrustedReason: CORSDenialReason? = nil
    ) -> CORSDecision {
        let outcome: CORSDecision.Outcome
        var trusted = originTrusted
        if facts.originCount == 0 {
            outcome = .notCORS
        } else if facts.originCount > 1 {
            trusted = false
            outcome = facts.isPreflight ? .preflightDenied(.multipleOrigins) : .actualDenied(.multipleOrigins)
        } else if !trusted {
            let reason = untrustedReason ?? .originNotAllowed(origin: facts.origin ?? "")
            outcome = facts.isPreflight ? .preflightDenied(reason) : .actualDenied(reason)
        } else if facts.isPreflight {
            outcome = preflightOutcome(facts, request: request)
        } else {
            outcome = .actualAllowed
        }
        return CORSDecision(
            outcome: outcome, origin: facts.originCount == 1 ? facts.origin : nil, isOriginTrusted: trusted,
            compiled: compiled, isOptionsRequest: request.method == .options,
            requestsPrivateNetwork: facts.requestsPrivateNetwork)
    }

    private func preflightOutcome(_ facts: RequestFacts, request: HTTPRequest) -> CORSDecision.Outcome {
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
        if facts.hasRequestHeaders {
            switch RequestHeadersScanner.scan(request.headerFields, allowed: compiled.headers) {
            case .allowed: break
            case .notAllowed(let name): return .preflightDenied(.headerNotAllowed(name: name))
            case .malformed: return .preflightDenied(.malformedRequestHeaders)
            case .tooLarge(let count): return .preflightDenied(.requestHeadersTooLarge(byteCount: count))
            }
        }
        return .preflightAllowed
    }
}

/// The CORS-relevant facts of a request, gathered in one pass over its fields.
struct RequestFacts: Sendable {
    var origin: String?
    var originCount = 0
    var requestMethod: String?
    var requestMethodCount = 0
    var hasRequestHeaders = false
    var requestsPrivateNetwork = false
    var isOptions: Bool

    var isPreflight: Bool { isOptions && requestMethodCount > 0 && originCount > 0 }

    init(_ request: HTTPRequest) {
        isOptions = request.method == .options
        for field in request.headerFields {
            switch FieldNameClassifier.requestField(field.name) {
            case .origin:
                originCount += 1
                origin = field.value
            case .accessControlRequestMethod where isOptions:
                requestMethodCount += 1
                requestMethod = field.value
            case .accessControlRequestHeaders where isOptions:
                hasRequestHeaders = true
            case .accessControlRequestPrivateNetwork where isOptions:
                requestsPrivateNetwork = field.value == "true"
            default:
                break
            }
        }
    }
}
