import NIOCore
import NIOHTTP1

/// Answers a connection's first request head that the HTTP decoder refused (larger than
/// `--max-header-bytes`, malformed, smuggling-prone framing) with `400` and `Connection: close`,
/// and closes the connection once that is written, as the adapters' servers do. Nothing else
/// answers before the first request is negotiated: without it such a connection would stay open,
/// with everything the client sent, until the idle timeout.
///
/// It stays in the pipeline until the first request is negotiated; after that Hummingbird
/// answers the parse errors of later requests itself, after the answers before them.
final class ProtocolErrorCloser: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Its name in the pipeline, to remove it by.
    static let name = "cors-proxy-protocol-error-closer"

    private var answered = false

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        guard !answered else { return }
        answered = true
        let headers = HTTPHeaders([("Connection", "close"), ("Content-Length", "0")])
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers))), promise: nil)
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            loopBound.value.close(promise: nil)
        }
    }
}
