import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOPosix

/// How a connection's first request was handled.
enum ProxyNegotiation: Sendable {
    /// Plain HTTP: Hummingbird serves the connection.
    case http(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
    /// A WebSocket handshake the upstream accepted: bytes are relayed until either side closes.
    case tunnel
}

/// Why a WebSocket handshake was not tunnelled; the request then goes upstream as plain HTTP,
/// so the browser sees the upstream's own refusal.
struct TunnelRefused: Error, CustomStringConvertible {
    var description: String
}

/// Tunnels a WebSocket upgrade (Vite's hot reload, say) to the route's upstream: the browser's
/// handshake goes upstream, the upstream's 101 comes back, then bytes are relayed both ways.
/// One per connection.
final class WebSocketTunnelUpgrader: NIOTypedHTTPServerProtocolUpgrader, Sendable {
    typealias UpgradeResult = ProxyNegotiation

    let supportedProtocol = "websocket"
    let requiredUpgradeHeaders: [String] = []

    private let settings: ProxySettings
    private let upstream: NIOLoopBoundBox<(any Channel)?>

    init(settings: ProxySettings, eventLoop: any EventLoop) {
        self.settings = settings
        self.upstream = NIOLoopBoundBox(nil, eventLoop: eventLoop)
    }

    func buildUpgradeResponse(
        channel: any Channel, upgradeRequest: HTTPRequestHead, initialResponseHeaders: HTTPHeaders
    ) -> EventLoopFuture<HTTPHeaders> {
        let eventLoop = channel.eventLoop
        guard upgradeRequest.uri.hasPrefix("/"), let route = settings.routes.route(for: upgradeRequest.uri) else {
            return eventLoop.makeFailedFuture(TunnelRefused(description: "no route for \(upgradeRequest.uri)"))
        }
        guard route.scheme == "http" else {
            return eventLoop.makeFailedFuture(TunnelRefused(description: "WebSocket tunnels to https upstreams are not supported"))
        }
        var fields = HTTPFields()
        for (name, value) in upgradeRequest.headers where name.lowercased() != "host" {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        let forwarded = ForwardedRequestFields.make(
            from: fields, clientAddress: channel.remoteAddress?.ipAddress, route: route, hostMode: settings.hostMode,
            proxyAuthority: upgradeRequest.headers["host"].first ?? settings.listenHost, keepUpgrade: true)
        var head = "\(upgradeRequest.method.rawValue) \(route.upstreamPath(for: upgradeRequest.uri)) HTTP/1.1\r\n"
        for field in forwarded { head += "\(field.name): \(field.value)\r\n" }
        head += "\r\n"

        let handshake = eventLoop.makePromise(of: UpstreamHandshakeHandler.Head.self)
        let timeout = TimeAmount.nanoseconds(settings.upstreamTimeout.proxyNanoseconds)
        let connected = ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelInitializer { upstreamChannel in
                upstreamChannel.eventLoop.makeCompletedFuture {
                    try upstreamChannel.pipeline.syncOperations.addHandler(UpstreamHandshakeHandler(promise: handshake))
                }
            }
            .connect(host: route.host, port: route.port)
        let box = upstream
        let request = head
        return connected.flatMap { upstreamChannel in
            box.value = upstreamChannel
            let timer = eventLoop.scheduleTask(in: timeout) {
                handshake.fail(TunnelRefused(description: "the upstream did not answer the handshake in time"))
            }
            handshake.futureResult.whenComplete { _ in timer.cancel() }
            upstreamChannel.writeAndFlush(ByteBuffer(string: request), promise: nil)
            return handshake.futureResult
        }.flatMapThrowing { response -> HTTPHeaders in
            guard response.status == 101 else {
                throw TunnelRefused(description: "the upstream answered the handshake with \(response.status)")
            }
            var headers = initialResponseHeaders
            for (name, value) in response.fields
            where !["connection", "upgrade", "content-length", "transfer-encoding"].contains(name.lowercased()) {
                headers.add(name: name, value: value)
            }
            return headers
        }.flatMapErrorThrowing { error in
            box.value?.close(promise: nil)
            box.value = nil
            throw error
        }
    }

    func upgrade(channel: any Channel, upgradeRequest: HTTPRequestHead) -> EventLoopFuture<ProxyNegotiation> {
        guard let upstreamChannel = upstream.value else {
            return channel.eventLoop.makeFailedFuture(TunnelRefused(description: "no upstream connection"))
        }
        upstream.value = nil
        return channel.eventLoop.makeCompletedFuture {
            let handshake = try upstreamChannel.pipeline.syncOperations.handler(type: UpstreamHandshakeHandler.self)
            let early = handshake.takeBytesAfterHead()
            let (downstream, upstream) = ByteRelayHandler.matchedPair()
            try channel.pipeline.syncOperations.addHandler(downstream)
            // Frames the upstream sent right after its 101 (Vite greets at once) go first.
            if let early, early.readableBytes > 0 { channel.writeAndFlush(early, promise: nil) }
            upstreamChannel.pipeline.syncOperations.removeHandler(handshake, promise: nil)
            try upstreamChannel.pipeline.syncOperations.addHandler(upstream)
            channel.closeFuture.whenComplete { _ in upstreamChannel.close(promise: nil) }
            upstreamChannel.closeFuture.whenComplete { _ in channel.close(promise: nil) }
            return .tunnel
        }
    }
}

/// Reads the upstream's answer to a WebSocket handshake: the status and fields of its head
/// (at most 64 KiB), then keeps what follows until the tunnel takes over.
final class UpstreamHandshakeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    struct Head: Sendable {
        var status: Int
        var fields: [(String, String)]
    }

    static let maximumHeadBytes = 64 * 1024

    private let promise: EventLoopPromise<Head>
    private var buffer = ByteBuffer()
    private var headRead = false

    init(promise: EventLoopPromise<Head>) {
        self.promise = promise
    }

    /// The bytes received after the head, handed over once.
    func takeBytesAfterHead() -> ByteBuffer? {
        defer { buffer = ByteBuffer() }
        return headRead ? buffer : nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        buffer.writeBuffer(&bytes)
        guard !headRead else { return }
        let view = buffer.readableBytesView
        guard let end = Self.endOfHead(in: view) else {
            if buffer.readableBytes > Self.maximumHeadBytes {
                promise.fail(TunnelRefused(description: "the upstream's handshake answer is over 64 KiB"))
                context.close(promise: nil)
            }
            return
        }
        let text = buffer.readString(length: end - view.startIndex) ?? ""
        headRead = true
        promise.succeed(Self.parse(text))
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(TunnelRefused(description: "the upstream closed the connection during the handshake"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }

    /// The index just past the blank line that ends a head.
    static func endOfHead(in view: ByteBufferView) -> Int? {
        var index = view.startIndex
        while index + 3 < view.endIndex {
            if view[index] == 13, view[index + 1] == 10, view[index + 2] == 13, view[index + 3] == 10 { return index + 4 }
            index += 1
        }
        return nil
    }

    static func parse(_ text: String) -> Head {
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: true).makeIterator()
        let statusLine = lines.next() ?? ""
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        let status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        var fields: [(String, String)] = []
        while let line = lines.next() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return Head(status: status, fields: fields)
    }
}
