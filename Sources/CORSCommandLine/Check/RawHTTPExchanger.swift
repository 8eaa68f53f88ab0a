import Foundation
import HTTPTypes
import NIOCore
import NIOPosix
import NIOSSL

/// An ``HTTPExchanger`` that writes one HTTP/1.1 request on a connection of its own and reads
/// back the response head and the start of the body, then closes: what a WebSocket upgrade
/// (answered `101 Switching Protocols`, after which the connection is no longer HTTP) and a form
/// `POST` with a body need, and what AsyncHTTPClient cannot send.
///
/// Every exchange is bounded: one deadline for connecting, writing and reading; a response head
/// of at most ``maximumHeadSize`` bytes; at most ``bodyLimit`` bytes of body. Nothing is
/// followed, stored or retried.
struct RawHTTPExchanger: HTTPExchanger {
    /// The largest response head accepted; a longer one is a network error, not a response.
    static let maximumHeadSize = 16 * 1024

    /// How long the whole exchange may take.
    var timeout: Duration
    /// The most body bytes kept (a refusal's reason is short).
    var bodyLimit = 1024
    /// Host → address to connect to instead of resolving the host (curl's `--resolve`).
    var dnsOverride: [String: String] = [:]

    func send(_ request: HTTPRequest) async throws(HTTPExchangeError) -> HTTPExchangeResponse {
        try await send(request, body: [])
    }

    /// Sends `request` with `body` (and its `Content-Length` when not empty).
    func send(_ request: HTTPRequest, body: [UInt8]) async throws(HTTPExchangeError) -> HTTPExchangeResponse {
        let url = request.exchangeURL
        let target = "\(request.method.rawValue) \(url)"
        let secure = request.scheme == "https" || request.scheme == "wss"
        let host = LiveHTTPClient.host(of: request)
        let bareHost = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        let port = Self.port(of: request, secure: secure)
        guard !bareHost.isEmpty, let port else {
            throw HTTPExchangeError(.invalidRequest, url: target, detail: "the URL has no host and port to connect to")
        }
        let head = Self.serialize(request, bodyLength: body.count)
        let connectHost = dnsOverride[bareHost.lowercased()] ?? bareHost
        let (timeout, bodyLimit) = (self.timeout, self.bodyLimit)
        do {
            return try await withThrowingTaskGroup(of: HTTPExchangeResponse?.self) { group in
                group.addTask {
                    try await Self.exchange(
                        head + body, host: connectHost, serverName: bareHost, port: port, secure: secure, timeout: timeout,
                        isHead: request.method == .head, bodyLimit: bodyLimit)
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                guard let first else {
                    throw HTTPExchangeError(
                        .timeout, url: target, detail: "no response from \(request.authority ?? url) within \(LiveHTTPClient.text(timeout))")
                }
                return first
            }
        } catch let error as HTTPExchangeError {
            throw HTTPExchangeError(error.kind, url: target, detail: error.detail)
        } catch let error as ResponseReader.Malformed {
            throw error.exchangeError(url: target, authority: request.authority ?? url)
        } catch {
            throw LiveHTTPClient.classify(error, request: request, url: url, timeout: timeout)
        }
    }

    /// The port of the request's authority, or the scheme's default.
    static func port(of request: HTTPRequest, secure: Bool) -> Int? {
        guard let authority = request.authority else { return nil }
        let afterHost: Substring
        if authority.hasPrefix("["), let end = authority.firstIndex(of: "]") {
            afterHost = authority[authority.index(after: end)...]
        } else {
            afterHost = authority.drop { $0 != ":" }
        }
        guard afterHost.hasPrefix(":") else { return secure ? 443 : 80 }
        guard let port = Int(afterHost.dropFirst()), (1...65535).contains(port) else { return nil }
        return port
    }

    /// The request line, `Host` and the fields, as sent on the wire.
    static func serialize(_ request: HTTPRequest, bodyLength: Int) -> [UInt8] {
        var text = "\(request.method.rawValue) \(request.path ?? "/") HTTP/1.1\r\n"
        text += "Host: \(request.authority ?? "")\r\n"
        for field in request.headerFields where field.name != .contentLength {
            text += "\(field.name.rawName): \(field.value)\r\n"
        }
        if bodyLength > 0 || [.post, .put, .patch].contains(request.method) {
            text += "Content-Length: \(bodyLength)\r\n"
        }
        text += "\r\n"
        return Array(text.utf8)
    }

    private static func exchange(
        _ bytes: [UInt8], host: String, serverName: String, port: Int, secure: Bool, timeout: Duration, isHead: Bool,
        bodyLimit: Int
    ) async throws -> HTTPExchangeResponse {
        let tls: NIOSSLContext? = secure ? try NIOSSLContext(configuration: .makeClientConfiguration()) : nil
        // SNI carries host names only, never an address.
        let sniName = (try? SocketAddress(ipAddress: serverName, port: 0)) == nil ? serverName : nil
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.nanoseconds(LiveHTTPClient.nanoseconds(timeout)))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: sniName))
                    }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(bytes: bytes))
            var reader = ResponseReader(isHead: isHead, bodyLimit: bodyLimit)
            for try await chunk in inbound {
                if let response = try reader.consume(chunk.readableBytesView) { return response }
            }
            return try reader.finishAtClose()
        }
    }
}

/// Reads one HTTP/1.1 response from the bytes as they arrive: the head (interim 1xx answers
/// other than 101 skipped), then the body by `Content-Length`, chunks or the end of the
/// connection, up to the body limit.
struct ResponseReader {
    /// The response head is larger than ``RawHTTPExchanger/maximumHeadSize`` or is not HTTP.
    struct Malformed: Error, CustomStringConvertible {
        var description: String
        /// The server closed the connection before a complete head: not a malformed answer, no answer.
        var isEarlyClose = false
    }

    var isHead: Bool
    var bodyLimit: Int
    private var buffer: [UInt8] = []
    private var head: (status: HTTPResponse.Status, fields: HTTPFields)?
    private var body: [UInt8] = []

    init(isHead: Bool, bodyLimit: Int) {
        self.isHead = isHead
        self.bodyLimit = bodyLimit
    }

    /// Adds `bytes`; returns the response once it is complete enough.
    mutating func consume(_ bytes: some Sequence<UInt8>) throws(Malformed) -> HTTPExchangeResponse? {
        buffer.append(contentsOf: bytes)
        while head == nil {
            guard let end = Self.headEnd(in: buffer) else {
                if buffer.count > RawHTTPExchanger.maximumHeadSize {
                    throw Malformed(description: "its head is larger than \(RawHTTPExchanger.maximumHeadSize / 1024) KiB")
                }
                return nil
            }
            guard end <= RawHTTPExchanger.maximumHeadSize else {
                throw Malformed(description: "its head is larger than \(RawHTTPExchanger.maximumHeadSize / 1024) KiB")
            }
            let parsed = try Self.parseHead(buffer[..<end])
            buffer.removeFirst(end + 4)
            // 100 Continue and 103 Early Hints come before the answer; 101 is the answer.
            if (100...199).contains(parsed.status.code) && parsed.status.code != 101 { continue }
            head = parsed
        }
        return try bodyProgress(closed: false)
    }

    /// The response when the server closed the connection.
    mutating func finishAtClose() throws(Malformed) -> HTTPExchangeResponse {
        guard head != nil else {
            throw Malformed(
                description: buffer.isEmpty ? "closed the connection without answering" : "closed the connection in the middle of the response head",
                isEarlyClose: true)
        }
        return try bodyProgress(closed: true) ?? response(truncated: false)
    }

    private mutating func bodyProgress(closed: Bool) throws(Malformed) -> HTTPExchangeResponse? {
        guard let head else { return nil }
        let status = head.status.code
        if status == 101 || isHead || status == 204 || status == 304 { return response(truncated: false) }
        if head.fields[.transferEncoding]?.lowercased().contains("chunked") == true {
            return dechunk(closed: closed)
        }
        if let lengthText = head.fields[.contentLength], let length = Int(lengthText.trimmingCharacters(in: .whitespaces)) {
            let wanted = min(length, bodyLimit)
            if buffer.count >= wanted || closed {
                body = Array(buffer.prefix(wanted))
                return response(truncated: length > bodyLimit)
            }
            return nil
        }
        // No length: the body ends with the connection.
        if buffer.count > bodyLimit {
            body = Array(buffer.prefix(bodyLimit))
            return response(truncated: true)
        }
        if closed {
            body = buffer
            return response(truncated: false)
        }
        return nil
    }

    /// Decodes the chunks received so far; the response once the last chunk or the limit is reached.
    private mutating func dechunk(closed: Bool) -> HTTPExchangeResponse? {
        var decoded: [UInt8] = []
        var index = 0
        while true {
            guard let lineEnd = Self.find([13, 10], in: buffer, from: index) else { break }
            let sizeText = String(decoding: buffer[index..<lineEnd], as: UTF8.self).prefix { $0 != ";" }
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { break }
            if size == 0 {
                body = Array(decoded.prefix(bodyLimit))
                return response(truncated: decoded.count > bodyLimit)
            }
            let start = lineEnd + 2
            let available = min(size, buffer.count - start)
            decoded += buffer[start..<(start + available)]
            if decoded.count >= bodyLimit {
                body = Array(decoded.prefix(bodyLimit))
                return response(truncated: true)
            }
            guard available == size, start + size + 2 <= buffer.count else { break }
            index = start + size + 2
        }
        if closed {
            body = decoded
            return response(truncated: false)
        }
        return nil
    }

    private func response(truncated: Bool) -> HTTPExchangeResponse {
        HTTPExchangeResponse(
            status: head?.status ?? .badGateway, headerFields: head?.fields ?? [:], bodyPrefix: body, isBodyTruncated: truncated)
    }

    static func headEnd(in bytes: [UInt8]) -> Int? {
        find([13, 10, 13, 10], in: bytes, from: 0)
    }

    static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
        for index in start...(bytes.count - needle.count) where bytes[index] == needle[0] {
            if Array(bytes[index..<(index + needle.count)]) == needle { return index }
        }
        return nil
    }

    /// `HTTP/1.1 403 Forbidden` and the fields; lines that are not fields are skipped, as a
    /// browser's network stack is lenient with them too.
    static func parseHead(_ bytes: ArraySlice<UInt8>) throws(Malformed) -> (status: HTTPResponse.Status, fields: HTTPFields) {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let code = Int(parts[1]), (100...999).contains(code) else {
            throw Malformed(description: "it is not HTTP/1.1 (status line \"\(statusLine.prefix(60))\")")
        }
        var fields = HTTPFields()
        for line in lines {
            guard let colon = line.firstIndex(of: ":"), let name = HTTPField.Name(String(line[..<colon])) else { continue }
            fields.append(HTTPField(name: name, value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        let reason = parts.count > 2 ? String(parts[2]) : ""
        return (HTTPResponse.Status(code: code, reasonPhrase: reason), fields)
    }
}

extension ResponseReader.Malformed {
    /// As the exchange error a person reads.
    func exchangeError(url: String, authority: String) -> HTTPExchangeError {
        if isEarlyClose { return HTTPExchangeError(.connectionClosed, url: url, detail: "\(authority) \(description)") }
        return HTTPExchangeError(.network, url: url, detail: "the response from \(authority) is not valid HTTP (\(description))")
    }
}
