public import CORS
public import CORSObservability
public import Hummingbird

/// Cross-origin request protection (CSRF) for a Hummingbird router: refuses with 403 the
/// state-changing requests a browser sends for a page whose origin the policy does not trust
/// (`CrossOriginProtection`, Go's `http.CrossOriginProtection` algorithm), before they
/// reach a handler.
///
/// Add it after ``CORSPolicyMiddleware``, so that preflights are answered first and the 403 carries
/// the CORS fields:
///
/// ```swift
/// let router = Router()
/// router.add(middleware: CORSPolicyMiddleware(policy: .tutorial))
/// router.add(middleware: CrossOriginProtectionMiddleware(policy: .tutorial, bypassing: ["POST /hooks/"]))
/// ```
///
/// A refusal is answered `403` with a `text/plain` body that names the reason, logged at `info`
/// level and counted in `cors_csrf_refusals_total{reason}` (see `CORSGuardRecorder`).
public struct CrossOriginProtectionMiddleware<Context: RequestContext>: RouterMiddleware {
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
    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        switch request.method {
        case .get, .head, .options: return try await next(request, context)
        default: break
        }
        let engine = source.engine(forPath: { request.uri.path })
        guard case .refused(let refusal) = await protection.check(request.head, engine: engine) else {
            return try await next(request, context)
        }
        recorder.record(refusal, method: request.method.rawValue, path: request.uri.path, logger: context.logger)
        return Response.guardRefusal(refusal.message)
    }
}

extension Response {
    /// A 403 with a short plain-text body.
    static func guardRefusal(_ message: String) -> Response {
        Response(
            status: .forbidden,
            headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: message)))
    }
}
