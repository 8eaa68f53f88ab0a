import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import WebSocketKit

/// Opens a websocket to `ws://127.0.0.1:PORT/PATH` with `Host: 127.0.0.1:PORT` and no `Origin`.
///
/// websocket-kit's own client sends the host without the port, which Firefox's remote agent
/// (httpd.js) answers with 400: it reads a port-less `Host` as port 80, a server it is not.
/// The handshake is therefore written here, and the upgraded channel handed to websocket-kit.
enum LoopbackWebSocket {
    /// Connects and returns the websocket once websocket-kit has taken over the channel;
    /// `configure` runs before any frame is read (set the handlers there).
    static func connect(
        port: Int, path: String, timeout: Duration = .seconds(10), configure: @escaping @Sendable (WebSocket) -> Void
    ) async throws -> WebSocket {
        let upgraded = MultiThreadedEventLoopGroup.singleton.any().makePromise(of: WebSocket.self)
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(max(1, timeout.components.seconds)))
            .channelInitializer { channel in
                let upgrader = NIOWebSocketClientUpgrader(maxFrameSize: 1 << 26, automaticErrorHandling: true) { channel, _ in
                    WebSocket.client(on: channel, config: .init()) { socket in
                        configure(socket)
                        upgraded.succeed(socket)
                    }
                }
                let request = UpgradeRequestHandler(host: "127.0.0.1:\(port)", path: path, upgraded: upgraded)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers(
                        leftOverBytesStrategy: .forwardBytes,
                        withClientUpgrade: (
                            upgraders: [upgrader],
                            completionHandler: { context in
                                context.pipeline.syncOperations.removeHandler(request, promise: nil)
                            }
                        ))
                    try channel.pipeline.syncOperations.addHandler(request)
                }
            }
        let channel = try await bootstrap.connect(host: "127.0.0.1", port: port).get()
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            upgraded.fail(BiDiError(description: "no websocket upgrade from 127.0.0.1:\(port)\(path) within \(timeout)"))
            channel.close(promise: nil)
        }
        defer { watchdog.cancel() }
        return try await upgraded.futureResult.get()
    }
}

/// Sends the upgrade request once the connection is up, and fails the upgrade when the server
/// answers with anything but 101.
private final class UpgradeRequestHandler: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    let host: String
    let path: String
    let upgraded: EventLoopPromise<WebSocket>

    init(host: String, path: String, upgraded: EventLoopPromise<WebSocket>) {
        self.host = host
        self.path = path
        self.upgraded = upgraded
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { send(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        send(context: context)
        context.fireChannelActive()
    }

    private func send(context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: host)
        headers.add(name: "Content-Length", value: "0")
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Only a refused upgrade reaches this handler: an accepted one removes it.
        if case .head(let head) = unwrapInboundIn(data) {
            upgraded.fail(BiDiError(description: "websocket upgrade refused: \(head.status.code) \(head.status.reasonPhrase)"))
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        upgraded.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        upgraded.fail(BiDiError(description: "the connection closed before the websocket upgrade"))
        context.fireChannelInactive()
    }
}
