import CORS
import CORSBrowserModel
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing

@testable import CORSCommandLine

// MARK: Running `cors check` in-process

/// Parses `arguments` as `cors check` does and runs it, with `exchanger` or the network.
///
/// Over the network the timeout defaults to 60 s rather than 10 s: the whole test bundle runs
/// in parallel on a shared, small machine, and a check must not fail because the in-process
/// server was slow to get a thread.
func runCheck(_ arguments: [String], exchanger: (any HTTPExchanger)? = nil) async throws -> CheckCommandResult {
    var arguments = arguments
    if exchanger == nil && !arguments.contains("--timeout") {
        arguments += ["--timeout", "60"]
    }
    let command = try CheckCommand.parse(arguments)
    return await command.execute(using: exchanger)
}

/// The top-level keys of a rendered JSON document, in order.
func checkTopLevelKeys(_ json: String) -> [String] {
    json.split(separator: "\n").compactMap { line in
        guard line.hasPrefix("  \""), !line.hasPrefix("   ") else { return nil }
        let afterQuote = line.dropFirst(3)
        return afterQuote.firstIndex(of: "\"").map { String(afterQuote[..<$0]) }
    }
}

/// The JSON document as Foundation objects.
func checkParseJSON(_ text: String) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(object as? [String: Any])
}

// MARK: A fake network

/// An ``HTTPExchanger`` that answers from a closure and records every request it was sent.
final class CheckFakeExchanger: HTTPExchanger {
    typealias Handler = @Sendable (HTTPRequest) throws(HTTPExchangeError) -> HTTPExchangeResponse

    private let handler: Handler
    private let log = Mutex<[HTTPRequest]>([])

    init(_ handler: @escaping Handler) {
        self.handler = handler
    }

    /// The requests sent, in order.
    var requests: [HTTPRequest] {
        log.withLock { $0 }
    }

    func send(_ request: HTTPRequest) async throws(HTTPExchangeError) -> HTTPExchangeResponse {
        log.withLock { $0.append(request) }
        return try handler(request)
    }
}

/// A response with the given status and `name: value` fields.
func checkReply(_ status: Int, _ fields: [(String, String)] = [], body: String = "") -> HTTPExchangeResponse {
    var headerFields = HTTPFields()
    for (name, value) in fields {
        headerFields.append(HTTPField(name: HTTPField.Name(name)!, value: value))
    }
    let phrases = [
        200: "OK", 204: "No Content", 301: "Moved Permanently", 302: "Found", 303: "See Other", 307: "Temporary Redirect",
        308: "Permanent Redirect", 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 500: "Internal Server Error",
    ]
    return HTTPExchangeResponse(
        status: HTTPResponse.Status(code: status, reasonPhrase: phrases[status] ?? ""), headerFields: headerFields,
        bodyPrefix: Array(body.utf8))
}

/// `METHOD url` of each request.
func checkSummaries(_ requests: [HTTPRequest]) -> [String] {
    requests.map { "\($0.method.rawValue) \($0.exchangeURL)" }
}

/// `Name: value` of each field.
func checkFieldLines(_ fields: HTTPFields) -> [String] {
    fields.map { "\($0.name.rawName): \($0.value)" }
}

// MARK: Real servers on 127.0.0.1

/// Requests a test server received.
final class CheckRequestLog: Sendable {
    struct Entry: Sendable {
        var method: String
        var path: String
        var headerFields: HTTPFields
    }

    private let entries = Mutex<[Entry]>([])

    func append(_ request: Request) {
        entries.withLock {
            $0.append(Entry(method: request.method.rawValue, path: request.uri.path, headerFields: request.headers))
        }
    }

    var all: [Entry] {
        entries.withLock { $0 }
    }
}

/// A middleware that records every request, preflights included.
struct CheckRecordingMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let log: CheckRequestLog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        log.append(request)
        return try await next(request, context)
    }
}

/// A Hummingbird application listening on 127.0.0.1 on a free port until ``stop()``.
struct CheckServer: Sendable {
    let port: Int
    private let task: Task<Void, any Error>

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts the application that `make` builds around the `onRunning` callback, and waits
    /// until it listens.
    static func start<App: ApplicationProtocol>(
        _ make: (_ onRunning: @escaping @Sendable (Int) async -> Void) -> App
    ) async throws -> CheckServer {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = make { port in continuation.yield(port) }
        let group = ServiceGroup(configuration: .init(services: [app], logger: quietLogger))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        for await port in ports {
            return CheckServer(port: port, task: task)
        }
        throw CheckServerError(description: "the test server stopped before listening: \(await task.result)")
    }

    /// Starts `router`.
    static func start(_ router: Router<BasicRequestContext>) async throws -> CheckServer {
        try await start { onRunning in
            Application(
                router: router,
                configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
                onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
                logger: quietLogger)
        }
    }

    /// Starts the tutorial's demo API (``HummingbirdDemoServer``) with `policy`.
    static func startDemo(policy: CORSPolicy) async throws -> CheckServer {
        try await start { onRunning in
            HummingbirdDemoServer.application(
                policy: policy, host: "127.0.0.1", port: 0, logger: quietLogger, onRunning: onRunning)
        }
    }

    func stop() async {
        task.cancel()
        _ = await task.result
    }

    static var quietLogger: Logger {
        var logger = Logger(label: "cors-check-tests")
        logger.logLevel = .critical
        return logger
    }
}

struct CheckServerError: Error, CustomStringConvertible {
    var description: String
}

/// Runs `body` with a server started from `router`, and stops it afterwards.
func withCheckServer<T>(_ router: Router<BasicRequestContext>, _ body: (CheckServer) async throws -> T) async throws -> T {
    try await withCheckServer(started: CheckServer.start(router), body)
}

/// Runs `body` with the demo API serving `policy`, and stops it afterwards.
func withCheckDemo<T>(policy: CORSPolicy, _ body: (CheckServer) async throws -> T) async throws -> T {
    try await withCheckServer(started: CheckServer.startDemo(policy: policy), body)
}

/// Runs `body` with `server`, and stops it afterwards.
func withCheckServer<T>(started server: CheckServer, _ body: (CheckServer) async throws -> T) async throws -> T {
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

/// A response with the given fields and body.
func checkServerResponse(_ status: HTTPResponse.Status, _ fields: [(String, String)] = [], body: String = "") -> Response {
    var headerFields = HTTPFields()
    for (name, value) in fields {
        headerFields.append(HTTPField(name: HTTPField.Name(name)!, value: value))
    }
    return Response(status: status, headers: headerFields, body: .init(byteBuffer: ByteBuffer(string: body)))
}

// MARK: Sockets that never answer

/// A TCP socket bound to a free port on 127.0.0.1. Listening, it accepts connections (the
/// kernel completes the handshake) and never answers; not listening, connections are refused.
final class CheckSilentSocket: Sendable {
    let port: Int
    private let descriptor: Int32

    init(listening: Bool) throws {
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw CheckServerError(description: "socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, !listening || listen(fd, 16) == 0 else {
            close(fd)
            throw CheckServerError(description: "bind() or listen() failed")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        descriptor = fd
    }

    deinit {
        close(descriptor)
    }
}
