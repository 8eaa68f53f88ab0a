public import CORS
public import CORSObservability
public import Hummingbird

/// Report-only mode for Hummingbird: decides every request with a new policy but changes
/// nothing in the responses; it logs and counts each request whose answer differs from what the
/// policy would give (`CORSReportOnlyRecorder`: `cors_report_only_differences_total{difference,origin}`).
///
/// Add it *first*, outside the CORS layer already in place (Hummingbird's own `CORSMiddleware`,
/// say), so that it sees the answers the browser sees:
///
/// ```swift
/// router.add(middleware: CORSReportOnlyMiddleware(policy: strictPolicy))
/// router.add(middleware: CORSMiddleware(allowOrigin: .all))   // what answers today
/// ```
///
/// Once the metric shows no `would-deny` for origins you mean to keep, replace both with
/// ``CORSPolicyMiddleware`` for the same policy.
public struct CORSReportOnlyMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The policies the requests are decided with.
    public let source: CORSPolicySource
    /// How differences are logged and counted.
    public let recorder: CORSReportOnlyRecorder

    /// Report-only mode for `policy`.
    ///
    /// - Parameters:
    ///   - policy: The validated policy to try out.
    ///   - originCardinalityCap: How many distinct origins get their own metric series.
    ///   - recordsMetrics: Count differences with swift-metrics.
    public init(policy: CORSPolicy, originCardinalityCap: Int = 100, recordsMetrics: Bool = true) {
        self.init(
            source: .fixed(CORSPolicyTable(policy)),
            recorder: CORSReportOnlyRecorder(originCardinalityCap: originCardinalityCap, recordsMetrics: recordsMetrics))
    }

    /// Report-only mode for the policies of `source`, recorded by `recorder`.
    public init(source: CORSPolicySource, recorder: CORSReportOnlyRecorder) {
        self.source = source
        self.recorder = recorder
    }

    /// Calls `next`, returns its response or rethrows its error untouched, and records how the
    /// policy would have answered differently.
    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let engine = source.engine(forPath: { request.uri.path })
        let decision = await engine.decide(request.head)
        do {
            let response = try await next(request, context)
            recorder.record(
                decision, for: request.head, observedStatus: response.status, observedFields: response.headers,
                path: request.uri.path, logger: context.logger)
            return response
        } catch let error as any HTTPResponseError {
            // The answer Hummingbird will make of the error, to compare; the error goes on as it is.
            let answer = try? error.response(from: request, context: context)
            recorder.record(
                decision, for: request.head, observedStatus: answer?.status ?? error.status,
                observedFields: answer?.headers ?? [:], path: request.uri.path, logger: context.logger)
            throw error
        } catch {
            // Hummingbird answers any other error with a bare 500.
            recorder.record(
                decision, for: request.head, observedStatus: .internalServerError, observedFields: [:],
                path: request.uri.path, logger: context.logger)
            throw error
        }
    }
}
