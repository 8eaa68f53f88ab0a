import CORS
import CORSTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

@testable import CORSCommandLine

/// An upstream server running inside the test process on 127.0.0.1 until ``LocalServer/stop()``.
typealias UpstreamServer = LocalServer

extension LocalServer {
    /// The demo API on Hummingbird (what `cors demo` serves), with `policy`.
    static func hummingbirdDemo(
        policy: CORSPolicy, idleTimeout: TimeAmount = HummingbirdDemoServer.idleTimeout
    ) async throws -> UpstreamServer {
        try await start("demo API on Hummingbird") { onRunning in
            HummingbirdDemoServer.application(
                policy: policy, host: "127.0.0.1", port: 0, logger: quietLogger, idleTimeout: idleTimeout,
                onRunning: onRunning)
        }
    }

    /// The demo API on Vapor (what `cors demo --framework vapor` serves), with `policy`.
    static func vaporDemo(policy: CORSPolicy) async throws -> UpstreamServer {
        var lastError = "it never listened"
        for _ in 0..<3 {
            let port = try LoopbackPort.free()
            let ended = NIOLockedValueBox<String?>(nil)
            let task = Task {
                do {
                    try await runVaporDemoAPI(policy: policy, host: "127.0.0.1", port: port)
                    ended.withLockedValue { $0 = "it stopped" }
                } catch {
                    ended.withLockedValue { $0 = "\(error)" }
                    throw error
                }
            }
            let start = ContinuousClock.now
            while ContinuousClock.now - start < hangLimit {
                if LoopbackPort.accepts(port) { return UpstreamServer(name: "demo API on Vapor", port: port, task: task) }
                if let failure = ended.withLockedValue({ $0 }) {
                    lastError = failure
                    break
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            task.cancel()
            _ = await task.result
        }
        throw HangError(description: "the Vapor demo API did not start: \(lastError)")
    }

    /// A deliberately broken API: it reflects a trusted `Origin` into
    /// `Access-Control-Allow-Origin` (200 on `/me`, 404 elsewhere) and never sends `Vary`.
    static func varyless(trusting trusted: Set<String>) async throws -> UpstreamServer {
        let router = Router()
        router.add(middleware: ReflectWithoutVary(trusted: trusted))
        router.get("me") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"user":"alice"}"#)))
        }
        return try await start("Vary-less API", router: router)
    }
}

/// Reflects a trusted `Origin` into `Access-Control-Allow-Origin` on every response, errors
/// included — and forgets `Vary: Origin`, the mistake a shared cache turns into poisoning.
struct ReflectWithoutVary: RouterMiddleware {
    typealias Context = BasicRequestContext
    let trusted: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError {
            response = Response(status: error.status)
        }
        if let origin = request.headers[.origin], trusted.contains(origin) {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlAllowCredentials] = "true"
        }
        return response
    }
}
