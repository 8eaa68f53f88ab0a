public import CORS
public import CORSObservability
public import Vapor
import HTTPTypes

/// Applies CORS policies to every response of a Vapor application: matched routes, 404s for
/// unknown paths, `Abort`s and any other thrown error (500), and preflights for paths that have
/// no `OPTIONS` route — including paths of route groups. It behaves exactly like the
/// Hummingbird adapter: same statuses, same fields, empty preflight bodies, same logs and
/// metrics (`CORSDecisionRecorder`).
///
/// Install it with ``Vapor/Middlewares/use(corsPolicy:logsAllowedDecisions:recordsMetrics:errorMiddleware:)``
/// (or ``Vapor/Middlewares/use(cors:)`` for a table or a store), which puts it first, ahead of
/// Vapor's `ErrorMiddleware`:
///
/// ```swift
/// let app = try await Application.make(.production)
/// app.middleware.use(corsPolicy: .tutorial)
/// app.get("me") { _ in ["user": "alice"] }
/// ```
///
/// For different policies per part of the API, pass a `CORSPolicyTable`; to change
/// policies while running, a `CORSPolicyStore`. Origins only a policy's
/// `CORSOriginPredicate` trusts are decided asynchronously, as in Hummingbird.
///
/// ## Placement
///
/// Vapor turns thrown errors into responses in its `ErrorMiddleware`. A CORS middleware that
/// runs *after* it (`app.middleware.use(…)` appends to the end of the list) never sees those
/// responses, so a 404 or a 500 reaches the page as a CORS error — a known Vapor trap. This
/// middleware defends itself in two ways:
///
/// - Wherever it is, it catches errors thrown below it, turns them into a response the way
///   Vapor's `ErrorMiddleware.default(environment:)` does (or with the `errorMiddleware` you
///   pass), and adds the CORS fields. Every error response carries CORS headers.
/// - On the first request it checks `app.middleware` and logs a warning once when it runs after
///   an `ErrorMiddleware` (an error middleware of yours placed before it is then bypassed for
///   errors thrown below the CORS layer), or when it is not in `app.middleware` at all (added
///   to a route group: preflights for that group's paths then get Vapor's 404, because a
///   group's middleware only runs for routes that match).
///
/// Preflights are answered here without calling the application, with an empty body.
///
/// The type name differs from Vapor's own `CORSMiddleware`, so both can be used in one file.
public struct CORSPolicyMiddleware: Middleware {
    /// Where the policies in force come from.
    public let source: CORSPolicySource
    /// How decisions are logged and counted (the same as in the Hummingbird adapter).
    public let recorder: CORSDecisionRecorder
    /// Turns an error thrown below this middleware into a response; `nil` uses Vapor's
    /// `ErrorMiddleware.default(environment:)` for the request's application.
    public let errorMiddleware: (any Middleware)?

    let placement = PlacementCheck()

    /// Applies one policy to every path; the policy is compiled once, here.
    ///
    /// - Parameters:
    ///   - policy: The validated policy to apply.
    ///   - logsAllowedDecisions: Also log allowed CORS requests at debug level (denials always are).
    ///   - recordsMetrics: Record swift-metrics counters and a timer (see
    ///     `CORSDecisionRecorder`).
    ///   - errorMiddleware: How to turn an error that reaches this middleware into a response,
    ///     before the CORS fields are added. Pass your own error middleware if you customised
    ///     Vapor's; `nil` (the default) answers as `ErrorMiddleware.default(environment:)`.
    public init(
        policy: CORSPolicy, logsAllowedDecisions: Bool = false, recordsMetrics: Bool = true,
        errorMiddleware: (any Middleware)? = nil
    ) {
        self.init(
            table: CORSPolicyTable(policy), logsAllowedDecisions: logsAllowedDecisions,
            recordsMetrics: recordsMetrics, errorMiddleware: errorMiddleware)
    }

    /// Applies a policy per path prefix (see `CORSPolicyTable`), answering preflights for
    /// every prefix from the top of the application — what route-group middleware cannot do.
    ///
    /// - Parameters:
    ///   - table: The compiled policies.
    ///   - logsAllowedDecisions: Also log allowed CORS requests at debug level.
    ///   - recordsMetrics: Record swift-metrics counters and a timer.
    ///   - errorMiddleware: How to turn errors that reach this middleware into responses.
    public init(
        table: CORSPolicyTable, logsAllowedDecisions: Bool = false, recordsMetrics: Bool = true,
        errorMiddleware: (any Middleware)? = nil
    ) {
        self.init(
            source: .fixed(table),
            recorder: CORSDecisionRecorder(logsAllowedDecisions: logsAllowedDecisions, recordsMetrics: recordsMetrics),
            errorMiddleware: errorMiddleware)
    }

    /// Applies the policies in force in `store`, which may be replaced while the server runs.
    ///
    /// - Parameters:
    ///   - store: The policies in force.
    ///   - logsAllowedDecisions: Also log allowed CORS requests at debug level.
    ///   - recordsMetrics: Record swift-metrics counters and a timer.
    ///   - errorMiddleware: How to turn errors that reach this middleware into responses.
    public init(
        store: CORSPolicyStore, logsAllowedDecisions: Bool = false, recordsMetrics: Bool = true,
        errorMiddleware: (any Middleware)? = nil
    ) {
        self.init(
            source: .live(store),
            recorder: CORSDecisionRecorder(logsAllowedDecisions: logsAllowedDecisions, recordsMetrics: recordsMetrics),
            errorMiddleware: errorMiddleware)
    }

    /// Applies the policies of `source`, logging and counting decisions with `recorder` (for a
    /// specific metrics backend, say).
    public init(source: CORSPolicySource, recorder: CORSDecisionRecorder, errorMiddleware: (any Middleware)? = nil) {
        self.source = source
        self.recorder = recorder
        self.errorMiddleware = errorMiddleware
    }

    /// Answers preflights itself; for every other request calls `next` and adds the CORS
    /// fields to its response, or to the response made from the error it throws.
    ///
    /// A plain (future-based) middleware, not an `AsyncMiddleware`: Vapor runs every async
    /// middleware in a new task with two thread hops, which costs more than all of CORS. Only a
    /// policy with an origin predicate, which may have to wait for a database, decides in a task.
    public func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        if placement.needsCheck() {
            placement.check(request)
        }
        let engine = source.engine(forPath: { request.url.path })
        let facts = CORSRequestFacts(request)
        guard engine.policy.originPredicate != nil else {
            let start = ContinuousClock.now
            let decision = engine.decide(facts)
            return respond(decision, decidedIn: ContinuousClock.now - start, to: request, chainingTo: next)
        }
        return request.eventLoop.makeFutureWithTask {
            let start = ContinuousClock.now
            let decision = await engine.decide(facts)
            return (decision, ContinuousClock.now - start)
        }.flatMap { decision, duration in
            respond(decision, decidedIn: duration, to: request, chainingTo: next)
        }
    }

    private func respond(
        _ decision: CORSDecision, decidedIn duration: Duration, to request: Request, chainingTo next: any Responder
    ) -> EventLoopFuture<Response> {
        recorder.record(
            decision, duration: duration, method: request.method.rawValue, path: request.url.path,
            logger: request.logger)
        if decision.isPreflight {
            // A preflight answer starts bare, so the decision's fields go straight into Vapor's headers.
            var headers = HTTPHeaders()
            headers.reserveCapacity(8)
            decision.forEachField(ofBareResponse: { field in headers.add(name: field.name.rawName, value: field.value) })
            return request.eventLoop.makeSucceededFuture(
                Response(status: HTTPResponseStatus(statusCode: decision.preflightStatus.code), headers: headers))
        }
        // One promise and one callback per request: chaining `flatMapError` and `map` would
        // allocate two of each on every request, errors or not.
        let promise = request.eventLoop.makePromise(of: Response.self)
        next.respond(to: request).whenComplete { result in
            switch result {
            case .success(let response):
                response.headers.apply(decision)
                promise.succeed(response)
            case .failure(let error):
                errorResponse(for: error, request: request)
                    .map { response in
                        response.headers.apply(decision)
                        return response
                    }
                    .cascade(to: promise)
            }
        }
        return promise.futureResult
    }

    /// The response Vapor's error middleware makes of `error`.
    private func errorResponse(for error: any Error, request: Request) -> EventLoopFuture<Response> {
        let renderer = errorMiddleware ?? ErrorMiddleware.default(environment: request.application.environment)
        return renderer.respond(to: request, chainingTo: FailingResponder(error: error))
    }
}

/// A responder that fails with a given error: feeds an error to an error middleware.
private struct FailingResponder: Responder {
    let error: any Error

    func respond(to request: Request) -> EventLoopFuture<Response> {
        request.eventLoop.makeFailedFuture(error)
    }
}
