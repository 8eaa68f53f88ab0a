public import CORS
public import Hummingbird
import Logging

/// Applies a ``CORS/CORSPolicy`` to every response of a Hummingbird router: matched routes,
/// 404s for unknown paths, thrown errors of any type, and preflights for paths that have no
/// `OPTIONS` route.
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
/// The name differs from Hummingbird's own `CORSMiddleware`, so both modules can be imported.
public struct CORSPolicyMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The compiled policy.
    public let engine: CORSEngine
    /// Whether allowed decisions are logged too (at debug level); denials always are.
    public let logsAllowedDecisions: Bool

    /// Creates the middleware; the policy is compiled once, here.
    ///
    /// - Parameters:
    ///   - policy: The validated policy to apply.
    ///   - logsAllowedDecisions: Also log allowed CORS requests at debug level.
    public init(policy: CORSPolicy, logsAllowedDecisions: Bool = false) {
        self.engine = CORSEngine(policy: policy)
        self.logsAllowedDecisions = logsAllowedDecisions
    }

    /// Answers preflights itself; for every other request calls `next` and adds the CORS
    /// fields to its response, or to the error it throws.
    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let decision = engine.decide(request.head)
        log(decision, request: request, logger: context.logger)
        if decision.isPreflight {
            let head = decision.preflightResponse()
            return Response(status: head.status, headers: head.headerFields)
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

    private func log(_ decision: CORSDecision, request: Request, logger: Logger) {
        guard logger.logLevel <= .debug else { return }
        if let reason = decision.denialReason {
            logger.debug(
                "CORS request denied: \(reason)",
                metadata: [
                    "cors.decision": "\(decision.isPreflight ? "preflight" : "actual")-denied",
                    "cors.reason": "\(reason.label)",
                    "cors.origin": "\(decision.origin?.debugDescription ?? "none")",
                    "http.method": "\(request.method)",
                    "http.path": "\(request.uri.path)",
                ])
        } else if logsAllowedDecisions, decision.origin != nil {
            logger.debug(
                "CORS request allowed",
                metadata: [
                    "cors.decision": "\(decision.isPreflight ? "preflight" : "actual")-allowed",
                    "cors.origin": "\(decision.origin?.debugDescription ?? "none")",
                    "http.method": "\(request.method)",
                    "http.path": "\(request.uri.path)",
                ])
        }
    }
}
