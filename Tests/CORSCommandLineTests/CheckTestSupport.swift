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
import CORSTestSupport

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

/// A Hummingbird application listening on 127.0.0.1 on a free port until ``LocalServer/stop()``.
typealias CheckServer = LocalServer

extension LocalServer {
    /// Starts the tutorial's demo API (``HummingbirdDemoServer``) with `policy`.
    static func startDemo(policy: CORSPolicy) async throws -> LocalServer {
        try await start("demo API") { onRunning in
            HummingbirdDemoServer.application(
                policy: policy, host: "127.0.0.1", port: 0, logger: quietLogger, onRunning: onRunning)
        }
    }
}

/// Runs `body` with a server started from `router`, and stops it afterwards.
func withCheckServer<T>(_ router: Router<BasicRequestContext>, _ body: (CheckServer) async throws -> T) async throws -> T {
    try await withCheckServer(started: LocalServer.start(router: router), body)
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
        guard fd >= 0 else { throw LocalServer.StartFailure(description: "socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, !listening || listen(fd, 16) == 0 else {
            close(fd)
            throw LocalServer.StartFailure(description: "bind() or listen() failed")
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
