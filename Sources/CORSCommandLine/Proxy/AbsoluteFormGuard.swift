import NIOCore
import NIOHTTP1

/// Refuses what would make the proxy an open proxy: a request whose target is another host
/// (absolute form, `GET http://elsewhere/ HTTP/1.1`) or an authority (`CONNECT host:443`). An
/// absolute-form request for the proxy itself is served, as RFC 9112 §3.2.2 requires.
final class AbsoluteFormGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let ownAuthorities: Set<String>
    private var refusing = false

    /// - Parameter ownAuthorities: `host:port` spellings (lowercased) of the proxy itself.
    init(ownAuthorities: Set<String>) {
        self.ownAuthorities = ownAuthorities
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(var head):
            refusing = false
            if head.uri.hasPrefix("/") {
                context.fireChannelRead(data)
                return
            }
            if let target = Self.absoluteForm(head.uri), ownAuthorities.contains(target.authority) {
                head.uri = target.path
                context.fireChannelRead(wrapInboundOut(.head(head)))
                return
            }
            refusing = true
            refuse(context: context, head: head)
        case .body, .end:
            if !refusing { context.fireChannelRead(data) }
        }
    }

    private func refuse(context: ChannelHandlerContext, head: HTTPRequestHead) {
        let target = head.uri.count > 200 ? head.uri.prefix(200) + "…" : Substring(head.uri)
        let body = ByteBuffer(
            string: "cors proxy: refused \(head.method.rawValue) \(target): this proxy forwards only to its configured routes, never to another host\n")
        let headers = HTTPHeaders([
            ("content-type", "text/plain; charset=utf-8"), ("content-length", String(body.readableBytes)), ("connection", "close"),
        ])
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }

    /// The lowercased `host:port` and the path of an `http://` absolute-form target.
    static func absoluteForm(_ uri: String) -> (authority: String, path: String)? {
        guard uri.count > 7, uri.prefix(7).lowercased() == "http://" else { return nil }
        let rest = uri.dropFirst(7)
        let end = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = rest[..<end].lowercased()
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        let hasPort = authority.hasPrefix("[") ? authority.contains("]:") : authority.contains(":")
        if !hasPort { authority += ":80" }
        let path = rest[end...]
        return (authority, path.isEmpty ? "/" : path.hasPrefix("?") ? "/" + path : String(path))
    }
}
