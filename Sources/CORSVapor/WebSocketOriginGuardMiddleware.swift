public import CORS
public import CORSObservability
public import Vapor
import HTTPTypes

/// Refuses WebSocket upgrades from origins the policy does not trust (`WebSocketOriginGuard`):
/// a refused upgrade is answered `403 Forbidden` before `app.webSocket`'s route upgrades it.
/// Requests that are not upgrades pass untouched, so it can guard the whole application:
///
/// ```swift
/// app.middleware.use(corsPolicy: .tutorial)
/// app.middleware.use(WebSocketOriginGuardMiddleware(policy: .tutorial))
/// app.webSocket("ws") { _, socket in socket.onText { socket, text in socket.send(text) } }
/// ```
///
/// Refusals are logged at `info` level and counted in `cors_websocket_refusals_total{reason}`.
public struct WebSocketOriginGuardMiddleware: Middleware {
    /// Where the trusted origins come from: the same policies as the CORS layer.
    public let source: CORSPolicySource
    /// What passes without a trusted origin.
    public let originGuard: WebSocketOriginGuard
    /// How refusals are logged and counted.
    public let recorder: CORSGuardRecorder

    /// A guard trusting the origins `policy` trusts.
    ///
    /// - Parameters:
    ///   - policy: The validated policy whose origins may open sockets.
    ///   - originGuard: What passes without a trusted origin (by default: no `Origin`, and the
    ///     server's own origin).
    ///   - recordsMetrics: Count refusals with swift-metrics.
    public init(policy: CORSPolicy, originGuard: WebSocketOriginGuard = .init(), recordsMetrics: Bool = true) {
        self.init(
            source: .fixed(CORSPolicyTable(policy)), originGuard: originGuard,
            recorder: CORSGuardRecorder(recordsMetrics: recordsMetrics))
    }

    /// A guard trusting the origins of the policies of `source` — pass the CORS layer's source,
    /// so that a reload changes both at once.
    public init(source: CORSPolicySource, originGuard: WebSocketOriginGuard = .init(), recorder: CORSGuardRecorder = .init()) {
        self.source = source
        self.originGuard = originGuard
        self.recorder = recorder
    }

    /// Calls `next` unless the request is an upgrade from an origin the guard refuses.
    public func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard request.headers[.upgrade].contains(where: { $0.lowercased().contains("websocket") }) else {
            return next.respond(to: request)
        }
        let engine = source.engine(forPath: { request.url.path })
        let guarded = HTTPRequest(guardFieldsOf: request)
        guard engine.policy.originPredicate != nil else {
            return respond(originGuard.checkStatically(guarded, engine: engine), to: request, chainingTo: next)
        }
        let originGuard = self.originGuard
        return request.eventLoop.makeFutureWithTask { await originGuard.check(guarded, engine: engine) }
            .flatMap { verdict in respond(verdict, to: request, chainingTo: next) }
    }

    private func respond(
        _ verdict: WebSocketOriginVerdict, to request: Request, chainingTo next: any Responder
    ) -> EventLoopFuture<Response> {
        guard case .refused(let refusal) = verdict else { return next.respond(to: request) }
        recorder.record(refusal, path: request.url.path, logger: request.logger)
        return request.eventLoop.makeSucceededFuture(Response.guardRefusal(refusal.message))
    }
}
