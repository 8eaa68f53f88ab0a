import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

/// A request a test server received, as it arrived.
struct ReceivedRequest: Sendable, CustomStringConvertible {
    let method: String
    /// Path and query.
    let uri: String
    let headerFields: HTTPFields

    var path: String { String(uri.prefix { $0 != "?" }) }

    func header(_ name: String) -> String? {
        HTTPField.Name(name).flatMap { headerFields[$0] }
    }

    var description: String { "\(method) \(uri)" }
}

/// The requests a server has received, in order.
final class RequestLog: Sendable {
    private let requests = NIOLockedValueBox<[ReceivedRequest]>([])

    func append(_ request: ReceivedRequest) {
        requests.withLockedValue { $0.append(request) }
    }

    var all: [ReceivedRequest] { requests.withLockedValue { $0 } }

    func matching(method: String? = nil, uri: String) -> [ReceivedRequest] {
        all.filter { ($0.method == method || method == nil) && $0.uri == uri }
    }
}

/// A responder that records every request, preflights included, before handing it on.
struct RecordingResponder<Base: HTTPResponder>: HTTPResponder {
    let base: Base
    let log: RequestLog

    func respond(to request: Request, context: Base.Context) async throws -> Response {
        log.append(ReceivedRequest(method: request.method.rawValue, uri: request.uri.description, headerFields: request.headers))
        return try await base.respond(to: request, context: context)
    }
}

/// A Hummingbird application running on 127.0.0.1 on a free port until ``stop()``.
struct RunningServer: Sendable {
    let port: Int
    private let task: Task<Void, any Error>

    /// Starts the application `make` builds for the given `onServerRunning` callback, and
    /// waits until it listens.
    static func start<App: ApplicationProtocol>(
        _ name: String, _ make: (_ onRunning: @escaping @Sendable (Int) async -> Void) -> App
    ) async throws -> RunningServer {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = make { port in continuation.yield(port) }
        var logger = Logger(label: "browser-tests.\(name)")
        logger.logLevel = .critical
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        for await port in ports {
            return RunningServer(port: port, task: task)
        }
        let failure = await task.result
        throw BrowserStartError(description: "the \(name) server stopped before listening: \(failure)")
    }

    func stop() async {
        task.cancel()
        _ = await task.result
    }
}

/// Serves the pages that run the tests' scripts: `GET /` is an empty HTML page. Reached as
/// `http://localhost:PORT` and as `http://127.0.0.1:PORT`, it gives two origins (and two
/// sites) from one server.
enum PageServer {
    static func start() async throws -> RunningServer {
        try await RunningServer.start("pages") { onRunning in
            let router = Router()
            router.get("/") { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: "<!doctype html><meta charset=utf-8><title>swift-cors browser tests</title>")))
            }
            return Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
                onServerRunning: { await onRunning($0.localAddress?.port ?? 0) }, logger: quietLogger("pages"))
        }
    }
}

func quietLogger(_ label: String) -> Logger {
    var logger = Logger(label: "browser-tests.\(label)")
    logger.logLevel = .critical
    return logger
}
