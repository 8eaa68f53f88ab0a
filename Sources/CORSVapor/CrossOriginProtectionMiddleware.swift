public import CORS
public import CORSObservability
public import Vapor
import HTTPTypes

/// Cross-origin request protection (CSRF) for Vapor: refuses with 403 the state-changing
/// requests a browser sends for a page whose origin the policy does not trust
/// (`CrossOriginProtection`, Go's `http.CrossOriginProtection` algorithm), before they
/// reach a route.
///
/// Add it after the CORS middleware, so that preflights are answered first and the 403 carries
/// the CORS fields:
///
/// ```swift
/// app.middleware.use(corsPolicy: .tutorial)
/// app.middleware.use(try CrossOriginProtectionMiddleware(policy: .tutorial, bypassing: ["POST /hooks/"]))
/// ```
///
/// A refusal is answered `403` with a `text/plain` body that names the reason, logged at `info`
/// level and counted in `cors_csrf_refusals_total{reason}` (see `CORSGuardRecorder`).
public struct CrossOriginProtectionMiddleware: Middleware {
    /// Where the trusted origins come from: the same policies as the CORS layer.
    public let source: CORSPolicySource
    /// The algorithm and its bypass patterns.
    public let protection: CrossOriginProtection
    /// How refusals are logged and counted.
    public let recorder: CORSGuardRecorder

    /// Protection trusting the origins `policy` trusts.
    ///
    /// - Parameters:
    ///   - policy: The validated policy whose origins may write.
    ///   - bypassing: Paths let through whatever their origin (see `CrossOriginBypassPattern`).
    ///   - recordsMetrics: Count refusals with swift-metrics.
    /// - Throws: `CrossOriginBypassPattern.InvalidPattern` for a malformed pattern.
    public init(policy: CORSPolicy, bypassing: [String] = [], recordsMetrics: Bool = true) throws {
        self.init(
            source: .fixed(CORSPolicyTable(policy)), protection: try CrossOriginProtection(bypassing: bypassing),
            recorder: CORSGuardRecorder(recordsMetrics: recordsMetrics))
    }

    /// Protection trusting the origins of the policies of `source` — pass the CORS layer's
    /// source, so that a reload changes both at once.
    public init(source: CORSPolicySource, protection: CrossOriginProtection, recorder: CORSGuardRecorder = .init()) {
        self.source = source
        self.protection = protection
        self.recorder = recorder
    }

    /// Calls `next` unless the request is a refused cross-origin write.
    public func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        switch request.method {
        case .GET, .HEAD, .OPTIONS: return next.respond(to: request)
        default: break
        }
        let engine = source.engine(forPath: { request.url.path })
        let guarded = HTTPRequest(guardFieldsOf: request)
        guard engine.policy.originPredicate != nil else {
            return respond(protection.checkStatically(guarded, engine: engine), to: request, chainingTo: next)
        }
        let protection = self.protection
        return request.eventLoop.makeFutureWithTask { await protection.check(guarded, engine: engine) }
            .flatMap { verdict in respond(verdict, to: request, chainingTo: next) }
    }

    private func respond(
        _ verdict: CrossOriginVerdict, to request: Request, chainingTo next: any Responder
    ) -> EventLoopFuture<Response> {
        guard case .refused(let refusal) = verdict else { return next.respond(to: request) }
        recorder.record(refusal, method: request.method.rawValue, path: request.url.path, logger: request.logger)
        return request.eventLoop.makeSucceededFuture(Response.guardRefusal(refusal.message))
    }
}
