public import CORS
public import CORSObservability
public import Hummingbird
public import HummingbirdCore
public import HummingbirdWebSocket
public import Logging
public import NIOCore
import NIOHTTP1
import HTTPTypes

/// A Hummingbird child channel that accepts WebSocket upgrades (hummingbird-websocket's
/// `HTTP1WebSocketUpgradeChannel`) only from origins the policy trusts
/// (`WebSocketOriginGuard`).
///
/// The check runs on the upgrade request itself, before hummingbird-websocket sees it: a refused
/// upgrade is answered `403 Forbidden` with a short body and the connection is closed, never
/// upgraded. (Refusing in the WebSocket router instead would only make hummingbird-websocket
/// answer 400.) Every other request passes untouched. Build it with
/// `HTTPServerBuilder.http1WebSocketUpgrade(webSocketRouter:originGuard:source:recorder:configuration:)`.
public struct WebSocketOriginGuardChannel: ServerChildChannel {
    public typealias Value = HTTP1WebSocketUpgradeChannel.Value

    /// The channel that upgrades.
    public let upgradeChannel: HTTP1WebSocketUpgradeChannel
    /// Where the trusted origins come from: the same policies as the CORS layer.
    public let source: CORSPolicySource
    /// What the guard lets through without a trusted origin.
    public let originGuard: WebSocketOriginGuard
    /// How refusals are logged and counted.
    public let recorder: CORSGuardRecorder

    /// Guards `upgradeChannel` with the origins of `source`.
    public init(
        upgradeChannel: HTTP1WebSocketUpgradeChannel, source: CORSPolicySource, originGuard: WebSocketOriginGuard,
        recorder: CORSGuardRecorder
    ) {
        self.upgradeChannel = upgradeChannel
        self.source = source
        self.originGuard = originGuard
        self.recorder = recorder
    }

    /// Sets up the upgrade channel, then puts the origin check between the request decoder and
    /// the upgrade handler.
    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let (source, originGuard, recorder) = (self.source, self.originGuard, self.recorder)
        return upgradeChannel.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            let decoder = try operations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try operations.addHandler(
                UpgradeOriginCheckHandler(source: source, originGuard: originGuard, recorder: recorder, logger: logger),
                position: .after(decoder))
            return value
        }
    }

    /// Hands the connection to the upgrade channel.
    public func handle(value: Value, logger: Logger) async {
        await upgradeChannel.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with WebSocket upgrades through `webSocketRouter`, each refused with 403 unless
    /// `WebSocketOriginGuard` lets its origin through.
    ///
    /// ```swift
    /// let app = Application(
    ///     router: router,
    ///     server: .http1WebSocketUpgrade(
    ///         webSocketRouter: wsRouter, originGuard: WebSocketOriginGuard(), source: .fixed(CORSPolicyTable(policy))),
    ///     configuration: …)
    /// ```
    ///
    /// - Parameters:
    ///   - webSocketRouter: The router with the `ws` routes.
    ///   - originGuard: What passes without a trusted origin.
    ///   - source: The policies whose origins may open sockets: the CORS layer's.
    ///   - recorder: How refusals are logged and counted (`cors_websocket_refusals_total{reason}`).
    ///   - configuration: HTTP/1 and WebSocket settings.
    public static func http1WebSocketUpgrade<WebSocketRouter: HTTPResponderBuilder>(
        webSocketRouter: WebSocketRouter, originGuard: WebSocketOriginGuard, source: CORSPolicySource,
        recorder: CORSGuardRecorder = .init(), configuration: HTTP1WebSocketUpgradeChannel.Configuration = .init()
    ) -> HTTPServerBuilder where WebSocketRouter.Responder.Context: WebSocketRequestContext {
        let webSocketResponder = webSocketRouter.buildResponder()
        return HTTPServerBuilder { responder in
            WebSocketOriginGuardChannel(
                upgradeChannel: HTTP1WebSocketUpgradeChannel(
                    responder: responder, webSocketResponder: webSocketResponder, configuration: configuration),
                source: source, originGuard: originGuard, recorder: recorder)
        }
    }
}

/// Checks the first request of a connection: an upgrade from an untrusted origin is answered
/// 403 and the connection closed; anything else goes on, and the handler leaves the pipeline.
final class UpgradeOriginCheckHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case waitingForHead
        /// Deciding asynchronously (an origin predicate): parts are held until it is done.
        case deciding([HTTPServerRequestPart])
        /// Answered 403; the connection closes once the request has been read to its end (closing
        /// earlier could reset it before the client has read the answer).
        case refused(answered: EventLoopFuture<Void>)
        case done
    }

    private let source: CORSPolicySource
    private let originGuard: WebSocketOriginGuard
    private let recorder: CORSGuardRecorder
    private let logger: Logger
    private var state = State.waitingForHead

    init(source: CORSPolicySource, originGuard: WebSocketOriginGuard, recorder: CORSGuardRecorder, logger: Logger) {
        self.source = source
        self.originGuard = originGuard
        self.recorder = recorder
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .done = state {
            // Anything read while the handler leaves the pipeline passes untouched.
            context.fireChannelRead(data)
            return
        }
        let part = unwrapInboundIn(data)
        switch state {
        case .done:
            context.fireChannelRead(data)
        case .refused(let answered):
            if case .end = part { Self.endConnection(context, after: answered) }
        case .deciding(var held):
            held.append(part)
            state = .deciding(held)
        case .waitingForHead:
            guard case .head(let head) = part, head.headers["upgrade"].contains(where: { $0.lowercased().contains("websocket") }) else {
                pass(context: context, [part])
                return
            }
            let request = Self.guardRequest(head)
            let engine = source.engine(forPath: { String(head.uri.prefix { $0 != "?" }) })
            if engine.policy.originPredicate == nil {
                decided(originGuard.checkStatically(request, engine: engine), head: head, context: context, held: [part])
                return
            }
            state = .deciding([part])
            let originGuard = self.originGuard
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.makeFutureWithTask { await originGuard.check(request, engine: engine) }
                .whenSuccess { verdict in
                    let (handler, context) = loopBound.value
                    guard case .deciding(let held) = handler.state else { return }
                    handler.decided(verdict, head: head, context: context, held: held)
                }
        }
    }

    private func decided(
        _ verdict: WebSocketOriginVerdict, head: HTTPRequestHead, context: ChannelHandlerContext,
        held: [HTTPServerRequestPart]
    ) {
        guard case .refused(let refusal) = verdict else {
            pass(context: context, held)
            return
        }
        recorder.record(refusal, path: String(head.uri.prefix { $0 != "?" }), logger: logger)
        let body = context.channel.allocator.buffer(string: refusal.message)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .forbidden, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let answered = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        state = .refused(answered: answered)
        if held.contains(where: { if case .end = $0 { true } else { false } }) {
            Self.endConnection(context, after: answered)
        }
    }

    /// A request head the decoder refuses (larger than its limits, malformed) before any request
    /// reached the upgrade negotiation: answered 400 and closed, as Hummingbird's plain HTTP/1
    /// server does. hummingbird-websocket 2.8.1 turns its own error handling off and adds the
    /// idle timeout only once negotiation is over, so without this such a connection would stay
    /// open, with everything the client sent, for as long as the client likes.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError, case .waitingForHead = state else {
            context.fireErrorCaught(error)
            return
        }
        state = .done
        var headers = HTTPHeaders()
        headers.add(name: "Content-Length", value: "0")
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers))), promise: nil)
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            loopBound.value.close(promise: nil)
        }
    }

    /// Ends the connection once the answer is written. The upgrade handler closes it on
    /// `inputClosed` and reports that as the client going away, which Hummingbird does not log as
    /// an error (closing the channel from here would).
    private static func endConnection(_ context: ChannelHandlerContext, after answered: EventLoopFuture<Void>) {
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        answered.whenComplete { _ in
            loopBound.value.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        }
    }

    /// Hands `parts` on and leaves the pipeline: only a connection's first request can upgrade.
    private func pass(context: ChannelHandlerContext, _ parts: [HTTPServerRequestPart]) {
        state = .done
        for part in parts { context.fireChannelRead(wrapInboundOut(part)) }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    /// The part of the upgrade request the guard reads: method, `Host`, path and `Origin`.
    static func guardRequest(_ head: HTTPRequestHead) -> HTTPRequest {
        var fields = HTTPFields()
        for value in head.headers["origin"] { fields.append(HTTPField(name: .origin, value: value)) }
        return HTTPRequest(
            method: HTTPRequest.Method(head.method.rawValue) ?? .get, scheme: nil,
            authority: head.headers.first(name: "host"), path: head.uri, headerFields: fields)
    }
}
