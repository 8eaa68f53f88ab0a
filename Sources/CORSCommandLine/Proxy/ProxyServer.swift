import AsyncHTTPClient
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Builds the running parts of `cors proxy`: the pooled upstream client and the server.
enum ProxyServer {
    /// The upstream client: pooled keep-alive connections, redirects and bodies passed on
    /// untouched (never followed, never decompressed), a refused connection reported at once.
    static func makeClient(_ settings: ProxySettings) -> HTTPClient {
        let timeout = TimeAmount.nanoseconds(settings.upstreamTimeout.proxyNanoseconds)
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: timeout, read: timeout),
            decompression: .disabled)
        configuration.connectionPool.retryConnectionEstablishment = false
        // The default of 8 connections per upstream queues requests under load; the upstream,
        // not the proxy, should set the limit.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 256
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// The proxy as a Hummingbird application; `onRunning` receives the port it listens on.
    static func application(
        settings: ProxySettings, client: HTTPClient, comparison: UpstreamCORSComparison?, logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            responder: ProxyResponder(settings: settings, client: client, comparison: comparison),
            server: HTTPServerBuilder { responder in ProxyChildChannel(responder: responder, settings: settings) },
            configuration: .init(address: .hostname(settings.listenHost, port: settings.listenPort), serverName: nil),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? settings.listenPort) },
            logger: logger
        )
    }
}
