import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// The proxy's connections: HTTP/1.1 served by Hummingbird (through ``AbsoluteFormGuard``), or
/// a WebSocket handshake on the connection's first request tunnelled to the upstream.
struct ProxyChildChannel: ServerChildChannel, HTTPChannelHandler {
    /// A connection being negotiated.
    struct Connection: ServerChildChannelValue {
        let channel: any Channel
        let negotiated: EventLoopFuture<ProxyNegotiation>
    }
    typealias Value = Connection

    let responder: HTTPChannelHandler.Responder
    let settings: ProxySettings

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Connection> {
        channel.eventLoop.makeCompletedFuture {
            let settings = self.settings
            let idleTimeout = settings.idleTimeout
            let ownAuthorities = settings.ownAuthorities(port: channel.localAddress?.port ?? settings.listenPort)
            let upgrade = NIOTypedHTTPServerUpgradeConfiguration<ProxyNegotiation>(
                upgraders: [WebSocketTunnelUpgrader(settings: settings, eventLoop: channel.eventLoop)],
                notUpgradingCompletionHandler: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        try pipeline.addHandler(AbsoluteFormGuard(ownAuthorities: ownAuthorities))
                        try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                        try pipeline.addHandler(HTTPConnectionStateHandler(idleTimeout: idleTimeout, logger: logger))
                        return .http(
                            try NIOAsyncChannel(
                                wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true)))
                    }
                })
            var configuration = NIOUpgradableHTTPServerPipelineConfiguration(upgradeConfiguration: upgrade)
            // Hummingbird validates outgoing fields through HTTPTypes already.
            configuration.enableResponseHeaderValidation = false
            // Hummingbird answers a later request's parse error itself, after the answers before
            // it (its own servers turn NIO's handler off too); NIO's would write its 400 ahead of
            // a pipelined request's answer and trip NIO's pipelining state machine.
            configuration.enableErrorHandling = false
            configuration.decoderConfiguration.maxHeaderListSize = settings.maximumHeaderBytes
            configuration.decoderConfiguration.maxHeaderFieldSize = settings.maximumHeaderBytes
            let negotiated = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(
                configuration: configuration)
            // Only until negotiation is over: from then on Hummingbird ends the connection on such
            // errors itself, once the responses before it are written; and a handler left in the
            // streaming path was measured to double the peak memory of a 512 MiB transfer.
            try channel.pipeline.syncOperations.addHandler(ProtocolErrorCloser(), name: ProtocolErrorCloser.name)
            // Until its first request head is read, a connection has no other idle timer: one
            // that sends nothing, or a head byte by byte, is closed after the idle time.
            let timer = channel.eventLoop.scheduleTask(in: .nanoseconds(idleTimeout.proxyNanoseconds)) {
                channel.close(promise: nil)
            }
            negotiated.whenComplete { _ in
                timer.cancel()
                channel.pipeline.removeHandler(name: ProtocolErrorCloser.name, promise: nil)
            }
            return Connection(channel: channel, negotiated: negotiated)
        }
    }

    func handle(value: Connection, logger: Logger) async {
        do {
            switch try await value.negotiated.get() {
            case .http(let asyncChannel):
                await handleHTTP(asyncChannel: asyncChannel, logger: logger)
            case .tunnel:
                try await value.channel.closeFuture.get()
            }
        } catch {
            logger.debug("connection ended during negotiation: \(error)")
            try? await value.channel.close()
        }
    }
}
