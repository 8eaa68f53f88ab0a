import CORS
@testable import CORSCommandLine
import Foundation
import HTTPTypes
import Vapor

/// The Vapor demo API (`configureVaporDemoAPI`, what `cors demo --framework vapor` serves) on
/// 127.0.0.1 on a free port, every request recorded before the CORS layer sees it.
struct VaporDemoServer: Sendable {
    let port: Int
    private let app: Application

    static func start(policy: CORSPolicy, log: RequestLog) async throws -> VaporDemoServer {
        var logger = Logger(label: "browser-tests.vapor-demo")
        logger.logLevel = .critical
        let app = try await Application.make(Environment(name: "testing", arguments: ["browser-tests"]), logger: logger)
        configureVaporDemoAPI(app, policy: policy)
        app.middleware.use(RecordingMiddleware(log: log), at: .beginning)
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = 0
        do {
            try await app.asyncBoot()
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        guard let port = app.http.server.shared.localAddress?.port else {
            await app.server.shutdown()
            try? await app.asyncShutdown()
            throw BrowserStartError(description: "the Vapor demo server did not report its port")
        }
        return VaporDemoServer(port: port, app: app)
    }

    func stop() async {
        await app.server.shutdown()
        try? await app.asyncShutdown()
    }
}

private struct RecordingMiddleware: AsyncMiddleware {
    let log: RequestLog

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var fields = HTTPFields()
        for (name, value) in request.headers {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        log.append(ReceivedRequest(method: request.method.rawValue, uri: request.url.string, headerFields: fields))
        return try await next.respond(to: request)
    }
}
