import NIOCore
import NIOHTTP1

/// Closes a connection whose request head the HTTP decoder refused (larger than
/// `--max-header-bytes`, malformed, smuggling-prone framing). NIO's protocol error handler has
/// already written its `400` with `Connection: close` by the time the error gets here; nothing
/// else in the proxy's pipeline closes the connection, which would otherwise stay open, with
/// everything the client sent, until the idle timeout. The adapters' servers close at once too.
///
/// It stays in the pipeline until the first request is negotiated; after that Hummingbird
/// closes on the errors of later requests, once the answers before them are written.
final class ProtocolErrorCloser: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    /// Its name in the pipeline, to remove it by.
    static let name = "cors-proxy-protocol-error-closer"

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        context.close(promise: nil)
    }
}
