public import CORS
public import CORSObservability
public import Hummingbird

/// Applies CORS policies to every response of a Hummingbird router: matched routes, 404s for
/// unknown paths, thrown errors of any type, and preflights for paths that have no `OPTIONS`
/// route.
///
/// Add it to the router itself (not to a group), before the routes, so that it also wraps the
/// router's not-found responder:
///
/// ```swift
/// let router = Router()
/// router.add(middleware: CORSPolicyMiddleware(policy: .tutorial))
/// router.get("me") { _, _ in ["user": "alice"] }
/// ```
///
/// For different policies per part of the API, pass a `CORSPolicyTable`; to change
/// policies while running, a `CORSPolicyStore`. The name differs from Hummingbird's own
/// `CORSMiddleware`, so both modules can be imported.
public struct CORSPolicyMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Where the policies in force come from.
    public let source: CORSPolicySource
    /// How decisions are logged and counted.
    public let recorder: CORSDecisionRecorder

    /// Applies one policy to every path; the policy is compiled once, here.
    ///
    /// - Parameters:
    ///   - policy: The validated policy.
    ///   - logsAllowedDecisions: Also log allowed CORS requests at debug level (denials always are).
    ///   - recordsMetrics: Record swift-metrics counters and a timer (see `CORSDecisionRecorder`).
    public init(policy: CORSPolicy, logsAllowedDecisions: Bool = false, recordsMetrics: Bool = true) {
        self.init(table: CORSPolicyTable(policy), logsAllowedDecisions: logsAllowedDecisions, recordsMetrics: recordsMetrics)
    }

    /// Applies a policy per path prefix.
    public init(table: CORSPolicyTable, logsAllowedDecisions: Bool = false, recordsMetrics: Bool = true) {
        self.init(
            source: .fixed(table),
            recorder: CORSDecisionRecorder(logsAllowedDecisions: logsAllowedDecisions, recordsMetrics: recordsMetrics))
    }

    /// Applies the policies in force in `store`, which may be replaced while the server runs.
    public init(store: CORSPolicyStore, logsAllowedDecisions: Bool = false, recordsMetrics: Bool = true) {
        self.init(
            source: .live(store),
            recorder: CORSDecisionRecorder(logsAllowedDecisions: logsAllowedDecisions, recordsMetrics: recordsMetrics))
    }

    /// Applies the policies of `source`, logging and counting decisions with `recorder` (for a
    /// specific metrics backend, say).
    public init(source: CORSPolicySource, recorder: CORSDecisionRecorder) {
        self.source = source
        self.recorder = recorder
    }

    /// Answers preflights itself; for every other request calls `next` and adds the CORS
    /// fields to its response, or to the error it throws.
    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let engine = source.engine(forPath: { request.uri.path })
        let start = ContinuousClock.now
        let decision = await engine.decide(request.head)
        recorder.record(
            decision, duration: ContinuousClock.now - start, method: request.method.rawValue,
            path: request.uri.path, logger: context.logger)
        if decision.isPreflight {
            return Response(status: decision.preflightStatus, headers: decision.preflightHeaderFields)
        }
        do {
            var response = try await next(request, context)
            decision.apply(to: &response.headers)
            return response
        } catch var error as HTTPError {
            // Keeps the error's own type for outer middleware; only its headers change.
            decision.apply(to: &error.headers)
            throw error
        } catch {
            throw CORSDecoratedError(underlying: error, decision: decision)
        }
    }
}
