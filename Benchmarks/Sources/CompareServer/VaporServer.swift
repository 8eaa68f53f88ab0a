import CORS
import CORSVapor
import Vapor

/// Serves `GET /me` with Vapor until SIGINT or SIGTERM.
func runVapor(cors: CORSLayer, port: Int) async throws {
    var logger = Logger(label: "compare.vapor")
    logger.logLevel = .warning
    let environment = Environment(
        name: "production",
        arguments: ["CompareServer", "serve", "--hostname", Tutorial.host, "--port", String(port)])
    let app = try await Application.make(environment, logger: logger)
    switch cors {
    case .none:
        break
    case .builtin:
        // Vapor's own middleware configured like the tutorial, first in the chain as Vapor's
        // documentation asks (otherwise error responses lack its headers).
        let configuration = CORSMiddleware.Configuration(
            allowedOrigin: .any(Tutorial.origins),
            allowedMethods: [.GET, .POST, .PUT, .DELETE],
            allowedHeaders: [.authorization, .contentType],
            allowCredentials: true,
            cacheExpiration: 600,
            exposedHeaders: [.xRequestId])
        app.middleware.use(CORSMiddleware(configuration: configuration), at: .beginning)
    case .ours:
        app.middleware.use(corsPolicy: .tutorial)
    }
    app.get("me") { _ -> Response in
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.add(name: .xRequestId, value: Tutorial.requestID)
        return Response(status: .ok, headers: headers, body: .init(string: Tutorial.meBody))
    }
    do {
        try await app.execute()
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
}
