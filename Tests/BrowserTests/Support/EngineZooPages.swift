import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore

/// The page origin of the engine suites: `GET /` is an empty page (for the driven tabs), and
/// `GET /run/NAME` a page whose script runs the request registered under NAME as soon as it
/// loads and logs ``MiniBrowserConsole/resultMarker`` followed by its result, for browsers that
/// are not driven (MiniBrowser writing its console to standard error).
final class EngineZooPages: Sendable {
    private let requests = NIOLockedValueBox<[String: FetchRequest]>([:])

    /// Makes `/run/NAME` run `request`.
    func register(_ name: String, _ request: FetchRequest) {
        requests.withLockedValue { $0[name] = request }
    }

    func start() async throws -> RunningServer {
        try await RunningServer.start("engine-pages") { onRunning in
            let router = Router()
            router.get("/") { _, _ in Self.html("") }
            router.get("/run/:name") { [requests] _, context in
                let name = context.parameters.get("name") ?? ""
                guard let request = requests.withLockedValue({ $0[name] }) else { return Response(status: .notFound) }
                let marker = JSONValue.string(MiniBrowserConsole.resultMarker).serialized
                return Self.html("<script>\(request.jsonScript).then(result => console.log(\(marker) + result));</script>")
            }
            return Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
                onServerRunning: { await onRunning($0.localAddress?.port ?? 0) }, logger: quietLogger("engine-pages"))
        }
    }

    private static func html(_ body: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: "<!doctype html><meta charset=utf-8><title>swift-cors engine tests</title>\(body)")))
    }
}
