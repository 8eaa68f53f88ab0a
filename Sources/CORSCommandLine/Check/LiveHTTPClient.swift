import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// An ``HTTPExchanger`` over AsyncHTTPClient that behaves like the network layer under a
/// browser's CORS logic: redirects are returned, not followed; bodies are not decompressed; no
/// cookie is ever stored or sent (AsyncHTTPClient has no cookie jar, and nothing here adds one);
/// a failed connection fails at once instead of being retried until the timeout.
struct LiveHTTPClient: HTTPExchanger {
    /// The largest body prefix kept by default.
    static let defaultBodyLimit = 4096

    private let client: HTTPClient
    private let timeout: Duration
    private let bodyLimit: Int

    /// Runs `body` with a client whose every request must complete within `timeout`, and shuts
    /// the client down afterwards.
    ///
    /// - Parameter dnsOverride: host → address to connect to instead of resolving the host, as
    ///   curl's `--resolve` (the Host header and TLS server name stay the URL's).
    static func withClient<Result: Sendable>(
        timeout: Duration, bodyLimit: Int = defaultBodyLimit, dnsOverride: [String: String] = [:],
        _ body: (LiveHTTPClient) async throws -> Result
    ) async throws -> Result {
        let amount = TimeAmount.nanoseconds(Self.nanoseconds(timeout))
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: amount, read: amount),
            decompression: .disabled)
        // A refused connection is the answer; retrying it until the deadline would turn it into
        // a timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.dnsOverride = dnsOverride
        return try await HTTPClient.withHTTPClient(configuration: configuration) { client in
            try await body(LiveHTTPClient(client: client, timeout: timeout, bodyLimit: bodyLimit))
        }
    }

    private init(client: HTTPClient, timeout: Duration, bodyLimit: Int) {
        self.client = client
        self.timeout = timeout
        self.bodyLimit = bodyLimit
    }

    func send(_ request: HTTPRequest) async throws(HTTPExchangeError) -> HTTPExchangeResponse {
        try await send(request, body: [])
    }

    /// Sends `request` with `body` (AsyncHTTPClient adds its `Content-Length`).
    func send(_ request: HTTPRequest, body: [UInt8]) async throws(HTTPExchangeError) -> HTTPExchangeResponse {
        let url = request.exchangeURL
        var outgoing = HTTPClientRequest(url: url)
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headerFields {
            outgoing.headers.add(name: field.name.rawName, value: field.value)
        }
        if !body.isEmpty { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        let deadline = NIODeadline.now() + .nanoseconds(Self.nanoseconds(timeout))
        do {
            let response = try await client.execute(outgoing, deadline: deadline)
            var fields = HTTPFields()
            for (name, value) in response.headers {
                if let fieldName = HTTPField.Name(name) {
                    fields.append(HTTPField(name: fieldName, value: value))
                }
            }
            var prefix: [UInt8] = []
            var truncated = false
            if request.method != .head && bodyLimit > 0 {
                (prefix, truncated) = try await Self.bodyPrefix(of: response.body, limit: bodyLimit, deadline: deadline)
            }
            return HTTPExchangeResponse(
                status: HTTPResponse.Status(code: Int(response.status.code), reasonPhrase: response.status.reasonPhrase),
                headerFields: fields, bodyPrefix: prefix, isBodyTruncated: truncated)
        } catch {
            throw Self.classify(error, request: request, url: url, timeout: timeout)
        }
    }

    /// The first `limit` bytes of `body`, and whether it had more. The deadline bounds the body
    /// as it bounds the head (AsyncHTTPClient's deadline ends with the head, and its read timeout
    /// restarts with every byte): a body still arriving at the deadline — a drip, a stream that
    /// never ends — is cut there and marked truncated, since the browser's CORS check needs only
    /// the head.
    static func bodyPrefix(
        of body: HTTPClientResponse.Body, limit: Int, deadline: NIODeadline
    ) async throws -> (bytes: [UInt8], truncated: Bool) {
        let received = ReceivedBytes()
        return try await withThrowingTaskGroup(of: Bool?.self) { group in
            group.addTask {
                for try await buffer in body where received.append(buffer, limit: limit) {
                    return true  // leaving the loop cancels the rest of the download
                }
                return false
            }
            group.addTask {
                let remaining = (deadline - .now()).nanoseconds
                try? await Task.sleep(nanoseconds: UInt64(max(0, remaining)))
                return nil  // the deadline came first
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return (received.bytes, first ?? true)
        }
    }

    /// A body prefix filled by one task and read by another once the deadline passes.
    private final class ReceivedBytes: Sendable {
        private let storage = Mutex<[UInt8]>([])

        /// Appends what fits under `limit`; true when `buffer` did not fit entirely.
        func append(_ buffer: ByteBuffer, limit: Int) -> Bool {
            storage.withLock { bytes in
                let room = limit - bytes.count
                bytes += buffer.readableBytesView.prefix(room)
                return buffer.readableBytes > room
            }
        }

        var bytes: [UInt8] { storage.withLock { $0 } }
    }

    // MARK: Errors

    /// Names the failure the way a person debugging a URL thinks of it.
    static func classify(_ error: any Error, request: HTTPRequest, url: String, timeout: Duration) -> HTTPExchangeError {
        let timeoutText = Self.text(timeout)
        let target = "\(request.method.rawValue) \(url)"
        let authority = request.authority ?? url
        if let error = error as? HTTPClientError {
            let timeouts: [HTTPClientError] = [
                .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .getConnectionFromPoolTimeout,
            ]
            if timeouts.contains(error) {
                return HTTPExchangeError(.timeout, url: target, detail: "no response from \(authority) within \(timeoutText)")
            }
            if error == .tlsHandshakeTimeout {
                return HTTPExchangeError(
                    .timeout, url: target, detail: "the TLS handshake with \(authority) did not finish within \(timeoutText)")
            }
            if error == .remoteConnectionClosed {
                return HTTPExchangeError(.connectionClosed, url: target, detail: "\(authority) closed the connection without answering")
            }
            if [HTTPClientError.invalidURL, .emptyHost, .emptyScheme].contains(error) {
                return HTTPExchangeError(.invalidRequest, url: target, detail: "the URL cannot be requested (\(error))")
            }
            return HTTPExchangeError(.network, url: target, detail: "\(error)")
        }
        if let error = error as? NIOConnectionError {
            if error.dnsAError != nil || error.dnsAAAAError != nil, error.connectionErrors.isEmpty {
                return HTTPExchangeError(.dnsFailure, url: target, detail: "cannot resolve host '\(error.host)'")
            }
            if error.connectionErrors.contains(where: { Self.errno(of: $0.error) == ECONNREFUSED }) {
                return HTTPExchangeError(.connectionRefused, url: target, detail: "nothing listens on \(error.host):\(error.port)")
            }
            if error.connectionErrors.isEmpty {
                return HTTPExchangeError(.dnsFailure, url: target, detail: "cannot resolve host '\(error.host)'")
            }
            let reasons = error.connectionErrors.map { "\($0.target): \($0.error)" }.joined(separator: "; ")
            return HTTPExchangeError(.network, url: target, detail: "cannot connect to \(error.host):\(error.port) (\(reasons))")
        }
        if error is SocketAddressError {
            return HTTPExchangeError(.dnsFailure, url: target, detail: "cannot resolve host '\(Self.host(of: request))'")
        }
        if let code = Self.errno(of: error) {
            switch code {
            case ECONNREFUSED:
                return HTTPExchangeError(.connectionRefused, url: target, detail: "nothing listens on \(authority)")
            case ECONNRESET, EPIPE:
                return HTTPExchangeError(.connectionClosed, url: target, detail: "\(authority) reset the connection")
            case ETIMEDOUT:
                return HTTPExchangeError(.timeout, url: target, detail: "connecting to \(authority) timed out")
            default:
                break
            }
        }
        if case ChannelError.connectTimeout = error {
            return HTTPExchangeError(.timeout, url: target, detail: "connecting to \(authority) took longer than \(timeoutText)")
        }
        if let error = error as? HTTPParserError {
            if error == .invalidEOFState {
                return HTTPExchangeError(
                    .connectionClosed, url: target, detail: "\(authority) closed the connection in the middle of the response")
            }
            let reason = error == .headerOverflow ? "its head is larger than the client's limit of 80 KB" : "\(error)"
            return HTTPExchangeError(.network, url: target, detail: "the response from \(authority) is not valid HTTP (\(reason))")
        }
        if case ChannelError.ioOnClosedChannel = error {
            return HTTPExchangeError(.connectionClosed, url: target, detail: "\(authority) closed the connection")
        }
        if case ChannelError.eof = error {
            return HTTPExchangeError(.connectionClosed, url: target, detail: "\(authority) closed the connection")
        }
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError,
            String(describing: error).contains("WRONG_VERSION_NUMBER")
        {
            // The classic: plain HTTP on the port the https URL names.
            return HTTPExchangeError(
                .tlsFailure, url: target, detail: "\(authority) does not answer in TLS (plain HTTP on an https URL?)")
        }
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            return HTTPExchangeError(.tlsFailure, url: target, detail: "TLS with \(authority) failed (\(error))")
        }
        return HTTPExchangeError(.network, url: target, detail: "\(error)")
    }

    /// `2 s`, `0.5 s`.
    static func text(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
    }

    /// The host of the request's authority, without the port.
    static func host(of request: HTTPRequest) -> String {
        guard let authority = request.authority else { return "" }
        if authority.hasPrefix("["), let end = authority.firstIndex(of: "]") {
            return String(authority[...end])
        }
        return String(authority.prefix { $0 != ":" })
    }

    private static func errno(of error: any Error) -> Int32? {
        if let error = error as? IOError { return error.errnoCode }
        return nil
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds.multipliedReportingOverflow(by: 1_000_000_000).overflow
            ? Int64.max : seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
