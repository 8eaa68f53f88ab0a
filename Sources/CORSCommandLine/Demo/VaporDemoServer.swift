import CORS
import CORSObservability
import CORSVapor
import Foundation
import Logging
import Vapor

/// Serves ``DemoAPI`` with Vapor and ``CORSVapor/CORSPolicyMiddleware`` on `host:port` until the
/// calling task is cancelled. Vapor's own logging is kept at `warning`.
///
/// Vapor is started without its command-line handling (the `cors` tool owns the arguments), so
/// the server runs until cancellation rather than until a signal reaches Vapor.
///
/// - Throws: when the address cannot be bound, or Vapor fails to start or stop.
func runVaporDemoAPI(policy: CORSPolicy, host: String, port: Int) async throws {
    try await runVaporDemoAPI(source: .fixed(CORSPolicyTable(policy)), host: host, port: port)
}

/// ``runVaporDemoAPI(policy:host:port:)`` with the policies of `source`, which may be live.
func runVaporDemoAPI(source: CORSPolicySource, host: String, port: Int) async throws {
    var logger = Logger(label: "cors.demo.vapor")
    logger.logLevel = .warning
    // Arguments are Vapor's command line; give it none of ours.
    let app = try await Application.make(Environment(name: "production", arguments: ["cors"]), logger: logger)
    app.http.server.configuration.hostname = host
    app.http.server.configuration.port = port
    configureVaporDemoAPI(app, source: source)
    do {
        try await app.asyncBoot()
        try await app.server.start(address: .hostname(host, port: port))
        await waitUntilCancelled()
        await app.server.shutdown()
    } catch {
        await app.server.shutdown()
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
}

/// Registers ``DemoAPI``'s routes and the CORS middleware on `app`: what
/// ``runVaporDemoAPI(policy:host:port:)`` serves, for tests that drive it in memory.
func configureVaporDemoAPI(_ app: Application, policy: CORSPolicy) {
    configureVaporDemoAPI(app, source: .fixed(CORSPolicyTable(policy)))
}

/// ``configureVaporDemoAPI(_:policy:)`` with the policies of `source`, which may be live.
func configureVaporDemoAPI(_ app: Application, source: CORSPolicySource) {
    app.middleware.use(cors: CORSPolicyMiddleware(source: source, recorder: CORSDecisionRecorder()))
    app.middleware.use(CrossOriginProtectionMiddleware(source: source, protection: CrossOriginProtection()))
    app.middleware.use(WebSocketOriginGuardMiddleware(source: source))
    app.get("me") { _ -> Response in
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.add(name: DemoAPI.requestIDHeader, value: UUID().uuidString.lowercased())
        return Response(status: .ok, headers: headers, body: .init(string: DemoAPI.meBody))
    }
    app.put("me") { _ -> Response in
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(string: DemoAPI.updatedBody))
    }
    app.delete("me") { _ in
        Response(status: .noContent)
    }
    app.get("boom") { _ -> Response in
        throw DemoAPI.Boom()
    }
    app.get("redirect") { _ -> Response in
        var headers = HTTPHeaders()
        headers.add(name: .location, value: "/me")
        return Response(status: .found, headers: headers)
    }
    app.post("login") { _ -> Response in
        var headers = HTTPHeaders()
        headers.add(name: .setCookie, value: DemoAPI.sessionCookie)
        headers.add(name: .setCookie, value: DemoAPI.legacyCookie)
        return Response(status: .noContent, headers: headers)
    }
    app.get("cookies") { request -> Response in
        let cookieLines = request.headers[.cookie]
        let cookieHeader = cookieLines.isEmpty ? nil : cookieLines.joined(separator: "; ")
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(
            status: .ok, headers: headers, body: .init(string: DemoAPI.cookiesBody(cookieHeader: cookieHeader)))
    }
    app.on(.POST, "transfer", body: .collect(maxSize: ByteCount(value: DemoAPI.transferBodyLimit))) { request -> Response in
        let cookieLines = request.headers[.cookie]
        let form = request.body.string ?? ""
        let answer = DemoAPI.transfer(cookieHeader: cookieLines.joined(separator: "; "), form: form)
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .init(statusCode: answer.status), headers: headers, body: .init(string: answer.body))
    }
    app.webSocket("ws") { _, socket in
        socket.onText { socket, text in socket.send(text) }
    }
}

/// Suspends until the current task is cancelled.
private func waitUntilCancelled() async {
    while !Task.isCancelled {
        try? await Task.sleep(for: .seconds(3600))
    }
}
