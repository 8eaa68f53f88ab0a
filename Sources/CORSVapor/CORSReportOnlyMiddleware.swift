public import CORS
public import CORSObservability
public import Vapor
import HTTPTypes

/// Report-only mode for Vapor: decides every request with a new policy but changes nothing in
/// the responses; it logs and counts each request whose answer differs from what the policy
/// would give (`CORSReportOnlyRecorder`: `cors_report_only_differences_total{difference,origin}`).
///
/// Install it at the beginning, outside the CORS layer already in place and Vapor's
/// `ErrorMiddleware`, so that it sees the answers the browser sees:
///
/// ```swift
/// app.middleware.use(CORSMiddleware(configuration: current))        // what answers today
/// app.middleware.use(CORSReportOnlyMiddleware(policy: strictPolicy), at: .beginning)
/// ```
///
/// An error thrown below it is passed on unchanged, and compared as the answer Vapor's
/// `ErrorMiddleware` makes of it: an `AbortError`'s status and headers, else a bare 500. Once
/// the metric shows no `would-deny` for origins you mean to keep, replace both with
/// ``CORSPolicyMiddleware`` for the same policy.
public struct CORSReportOnlyMiddleware: Middleware {
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

    /// Calls `next`, passes its response or error on untouched, and records how the policy
    /// would have answered differently.
    public func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let engine = source.engine(forPath: { request.url.path })
        let head = HTTPRequest(allFieldsOf: request)
        let decided: EventLoopFuture<CORSDecision> =
            engine.policy.originPredicate == nil
            ? request.eventLoop.makeSucceededFuture(engine.decide(head))
            : request.eventLoop.makeFutureWithTask { await engine.decide(head) }
        return decided.flatMap { decision in
            next.respond(to: request).always { result in
                switch result {
                case .success(let response):
                    record(decision, head, status: response.status, headers: response.headers, request)
                case .failure(let error as any AbortError):
                    record(decision, head, status: error.status, headers: error.headers, request)
                case .failure:
                    record(decision, head, status: .internalServerError, headers: [:], request)
                }
            }
        }
    }

    private func record(
        _ decision: CORSDecision, _ head: HTTPRequest, status: HTTPResponseStatus, headers: HTTPHeaders, _ request: Request
    ) {
        recorder.record(
            decision, for: head, observedStatus: HTTPResponse.Status(code: Int(status.code)),
            observedFields: HTTPFields(headers), path: request.url.path, logger: request.logger)
    }
}
