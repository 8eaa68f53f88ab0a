import CORS
import CORSHummingbird
import HTTPTypes
import Hummingbird
import Logging

/// Serves `GET /me` with Hummingbird until SIGINT or SIGTERM.
func runHummingbird(cors: CORSLayer, port: Int) async throws {
    var logger = Logger(label: "compare.hummingbird")
    logger.logLevel = .warning
    let router = Router()
    switch cors {
    case .none:
        break
    case .builtin:
        // Hummingbird's own middleware configured like the tutorial. `.originBased` (its default)
        // reflects any origin; it is also the cheapest of its settings.
        router.add(
            middleware: CORSMiddleware(
                allowOrigin: .originBased,
                allowHeaders: [.authorization, .contentType],
                allowMethods: [.get, .post, .put, .delete],
                allowCredentials: true,
                exposedHeaders: ["X-Request-Id"],
                maxAge: .seconds(600)))
    case .ours:
        router.add(middleware: CORSPolicyMiddleware(policy: .tutorial))
    }
    let body = ByteBuffer(string: Tutorial.meBody)
    let requestID = HTTPField.Name("X-Request-Id")!
    router.get("me") { _, _ in
        Response(
            status: .ok, headers: [.contentType: "application/json", requestID: Tutorial.requestID],
            body: .init(byteBuffer: body))
    }
    let app = Application(
        router: router,
        configuration: .init(address: .hostname(Tutorial.host, port: port), serverName: nil),
        logger: logger)
    try await app.runService()
}
