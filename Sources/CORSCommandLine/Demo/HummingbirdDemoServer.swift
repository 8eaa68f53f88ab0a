import CORS
import CORSHummingbird
import CORSObservability
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// The tutorial's API (``DemoAPI``) on Hummingbird, behind ``CORSPolicyMiddleware``.
enum HummingbirdDemoServer {
    static func router(policy: CORSPolicy) -> Router<BasicRequestContext> {
        router(source: .fixed(CORSPolicyTable(policy)))
    }

    /// The demo API with the policies of `source`, which may be live (reloaded on SIGHUP).
    static func router(source: CORSPolicySource) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: CORSPolicyMiddleware(source: source, recorder: CORSDecisionRecorder()))
        router.add(middleware: CrossOriginProtectionMiddleware(source: source, protection: CrossOriginProtection()))
        router.get("me") { _, _ in
            json(DemoAPI.meBody, extraHeaders: [HTTPField.Name(DemoAPI.requestIDHeader)!: UUID().uuidString.lowercased()])
        }
        router.put("me") { _, _ in json(DemoAPI.updatedBody) }
        router.delete("me") { _, _ in Response(status: .noContent) }
        router.get("boom") { _, _ -> Response in throw DemoAPI.Boom() }
        router.get("redirect") { _, _ in Response(status: .found, headers: [.location: "/me"]) }
        router.post("login") { _, _ in
            var headers = HTTPFields()
            headers.append(HTTPField(name: .setCookie, value: DemoAPI.sessionCookie))
            headers.append(HTTPField(name: .setCookie, value: DemoAPI.legacyCookie))
            return Response(status: .noContent, headers: headers)
        }
        router.get("cookies") { request, _ in
            json(DemoAPI.cookiesBody(cookieHeader: request.headers[.cookie]))
        }
        router.post("transfer") { request, _ in
            let form = try await request.body.collect(upTo: DemoAPI.transferBodyLimit)
            let cookies = request.headers[values: .cookie].joined(separator: "; ")
            let answer = DemoAPI.transfer(cookieHeader: cookies, form: String(buffer: form))
            var response = json(answer.body)
            response.status = .init(code: answer.status)
            return response
        }
        return router
    }

    /// The router that decides WebSocket upgrades: `GET /ws` echoes every text message.
    static func webSocketRouter() -> Router<BasicWebSocketRequestContext> {
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.ws("ws") { inbound, outbound, _ in
            for try await message in inbound.messages(maxSize: 1 << 16) {
                if case .text(let text) = message { try await outbound.write(.text(text)) }
            }
        }
        return router
    }

    /// How long a connection may stay idle before the demo closes it.
    static let idleTimeout: TimeAmount = .seconds(30)

    static func application(
        policy: CORSPolicy, host: String, port: Int, logger: Logger,
        idleTimeout: TimeAmount = idleTimeout,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        application(
            source: .fixed(CORSPolicyTable(policy)), host: host, port: port, logger: logger, idleTimeout: idleTimeout,
            onRunning: onRunning)
    }

    static func application(
        source: CORSPolicySource, host: String, port: Int, logger: Logger,
        idleTimeout: TimeAmount = idleTimeout,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(source: source),
            // Hummingbird 2 has no idle timeout by default; after a request head over NIO's 80 KB
            // limit it answers 400, half-closes and stops reading, so without a timeout a hostile
            // client keeps every such connection (and its memory) forever. Measured by
            // Scripts/hostile-clients.sh: 38 → 397 MiB and 1,764 descriptors without it.
            // WebSocket upgrades from origins the policy does not trust are refused with 403.
            server: .http1WebSocketUpgrade(
                webSocketRouter: webSocketRouter(), originGuard: WebSocketOriginGuard(), source: source,
                configuration: .init(http1: .init(idleTimeout: idleTimeout))),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }

    private static func json(_ body: String, extraHeaders: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers.append(contentsOf: extraHeaders)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
