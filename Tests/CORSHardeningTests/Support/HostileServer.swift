import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A TCP server on 127.0.0.1 (free port) that speaks whatever bytes a test scripts: HTTP that
/// redirects forever, huge or malformed heads, garbage, a drip of one byte a second, silence, a
/// connection closed half-way. Each connection runs the script once, for the first request head
/// it receives (or at once, for ``Trigger/onConnect``).
final class HostileServer: Sendable {
    /// What the client sent: enough of a request head to script an answer.
    struct RequestHead: Sendable {
        var method: String
        var target: String
        var host: String?
    }

    /// One thing the server does on a connection, in order.
    enum Step: Sendable {
        /// Writes these bytes.
        case send([UInt8])
        /// Writes these bytes one at a time, `interval` apart.
        case drip([UInt8], interval: TimeAmount)
        /// Writes `byte` every `interval` until the client goes away.
        case dripForever(UInt8, interval: TimeAmount)
        /// Closes the connection.
        case close
        /// Does nothing more and keeps the connection open until the client closes it.
        case stayOpen
    }

    enum Trigger: Sendable {
        /// After the first complete request head (`\r\n\r\n`).
        case afterRequestHead
        /// After the first bytes arrive, whatever they are (as an HTTP server answers a TLS
        /// ClientHello with 400).
        case onFirstBytes
        /// As soon as the connection is accepted, before reading anything.
        case onConnect
    }

    typealias Script = @Sendable (_ request: RequestHead?, _ port: Int) -> [Step]

    let port: Int
    private let channel: any Channel
    private let connections = NIOLockedValueBox(0)

    /// How many connections the server accepted.
    var connectionCount: Int { connections.withLockedValue { $0 } }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(port: Int, channel: any Channel) {
        self.port = port
        self.channel = channel
    }

    /// Starts listening on a free port of 127.0.0.1.
    static func start(trigger: Trigger = .afterRequestHead, _ script: @escaping Script) async throws -> HostileServer {
        let box = NIOLockedValueBox<HostileServer?>(nil)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    let port = child.localAddress?.port ?? 0
                    box.withLockedValue { $0 }?.connections.withLockedValue { $0 += 1 }
                    try child.pipeline.syncOperations.addHandler(
                        ScriptedConnection(trigger: trigger, port: port, script: script))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let server = HostileServer(port: channel.localAddress?.port ?? 0, channel: channel)
        box.withLockedValue { $0 = server }
        return server
    }

    func stop() async {
        try? await channel.close()
    }

    // MARK: Building answers

    /// `text` as bytes, with `\n` turned into `\r\n`.
    static func http(_ text: String) -> [UInt8] {
        Array(text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n").utf8)
    }
}

/// Runs a ``HostileServer/Script`` on one connection.
private final class ScriptedConnection: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let trigger: HostileServer.Trigger
    private let port: Int
    private let script: HostileServer.Script
    private var received: [UInt8] = []
    private var started = false
    private var active = true

    init(trigger: HostileServer.Trigger, port: Int, script: @escaping HostileServer.Script) {
        self.trigger = trigger
        self.port = port
        self.script = script
    }

    func channelActive(context: ChannelHandlerContext) {
        if case .onConnect = trigger {
            started = true
            run(script(nil, port)[...], context: context)
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        active = false
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !started else { return }  // one answer per connection; later bytes are ignored
        var buffer = unwrapInboundIn(data)
        received += buffer.readBytes(length: buffer.readableBytes) ?? []
        guard received.count < 1 << 20 else {
            started = true
            context.close(promise: nil)
            return
        }
        if case .onFirstBytes = trigger {
            started = true
            run(script(Self.requestHead(received), port)[...], context: context)
            return
        }
        guard let head = Self.requestHead(received) else { return }
        started = true
        run(script(head, port)[...], context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        active = false
        context.close(promise: nil)
    }

    private func run(_ steps: ArraySlice<HostileServer.Step>, context: ChannelHandlerContext) {
        guard active, let step = steps.first else { return }
        let rest = steps.dropFirst()
        switch step {
        case .send(let bytes):
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
            run(rest, context: context)
        case .drip(let bytes, let interval):
            guard let first = bytes.first else {
                run(rest, context: context)
                return
            }
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: [first])), promise: nil)
            let remaining: [HostileServer.Step] = bytes.count > 1 ? [.drip(Array(bytes.dropFirst()), interval: interval)] : []
            later(remaining + rest, after: interval, context: context)
        case .dripForever(let byte, let interval):
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: [byte])), promise: nil)
            later(Array(steps), after: interval, context: context)
        case .close:
            active = false
            context.close(promise: nil)
        case .stayOpen:
            break
        }
    }

    private func later(_ steps: [HostileServer.Step], after interval: TimeAmount, context: ChannelHandlerContext) {
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: interval) {
            let (handler, context) = bound.value
            handler.run(steps[...], context: context)
        }
    }

    /// The request line and Host of the first complete head in `bytes`, if there is one.
    private static func requestHead(_ bytes: [UInt8]) -> HostileServer.RequestHead? {
        let terminator: [UInt8] = [13, 10, 13, 10]
        guard bytes.count >= 4,
            let end = (0...(bytes.count - 4)).first(where: { bytes[$0..<($0 + 4)].elementsEqual(terminator) })
        else { return nil }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = (lines.first ?? "").split(separator: " ")
        let host = lines.dropFirst().first { $0.lowercased().hasPrefix("host:") }
            .map { String($0.dropFirst(5)).trimmingCharacters(in: .whitespaces) }
        return HostileServer.RequestHead(
            method: requestLine.first.map(String.init) ?? "",
            target: requestLine.count > 1 ? String(requestLine[1]) : "/",
            host: host)
    }
}
