import HTTPTypes

/// Sends one HTTP request and returns the response as it came back: no redirect followed, no
/// body decoded, no cookie stored or added. `cors check` drives the browser's rules on top of
/// it; `cors scan` can send its probes through it too.
///
/// The URL is the request's `scheme://authority` followed by its `path` (path and query).
protocol HTTPExchanger: Sendable {
    /// Sends `request` and returns the response head and the start of its body.
    ///
    /// - Throws: ``HTTPExchangeError`` when no response arrives: connection refused, DNS
    ///   failure, TLS failure, timeout, or the connection dropped.
    func send(_ request: HTTPRequest) async throws(HTTPExchangeError) -> HTTPExchangeResponse
}

extension HTTPRequest {
    /// `scheme://authority/path?query`: where an ``HTTPExchanger`` sends the request.
    var exchangeURL: String {
        "\(scheme ?? "http")://\(authority ?? "")\(path ?? "/")"
    }
}

/// A response as an ``HTTPExchanger`` received it.
struct HTTPExchangeResponse: Sendable, Hashable {
    /// The status, with the server's reason phrase.
    var status: HTTPResponse.Status
    /// Every header field, in the order received, duplicates kept.
    var headerFields: HTTPFields
    /// The first bytes of the body (at most the exchanger's limit), undecoded.
    var bodyPrefix: [UInt8]
    /// Whether the body was longer than ``bodyPrefix``.
    var isBodyTruncated: Bool

    init(status: HTTPResponse.Status, headerFields: HTTPFields = [:], bodyPrefix: [UInt8] = [], isBodyTruncated: Bool = false) {
        self.status = status
        self.headerFields = headerFields
        self.bodyPrefix = bodyPrefix
        self.isBodyTruncated = isBodyTruncated
    }

    /// The response head, for the browser model.
    var head: HTTPResponse {
        HTTPResponse(status: status, headerFields: headerFields)
    }

    /// The body prefix as one line of printable text (control characters and invalid UTF-8
    /// replaced), at most `limit` characters, for a trace.
    func bodySnippet(limit: Int = 160) -> String? {
        guard !bodyPrefix.isEmpty else { return nil }
        let text = String(decoding: bodyPrefix, as: UTF8.self)
        var line = ""
        var count = 0
        var lastWasSpace = false
        for character in text {
            guard count < limit else {
                line += "…"
                return line
            }
            let isSpace = character.isWhitespace || character.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
            if isSpace {
                if !lastWasSpace && !line.isEmpty { line.append(" ") }
                lastWasSpace = true
            } else {
                line.append(character)
                lastWasSpace = false
            }
            count += 1
        }
        if isBodyTruncated { line += "…" }
        return line.isEmpty ? nil : line
    }
}

/// Why an exchange produced no response, in one line that names the problem.
struct HTTPExchangeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of failure a person needs to tell apart.
    enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Nothing listens on the port (ECONNREFUSED).
        case connectionRefused = "connection refused"
        /// The host name does not resolve.
        case dnsFailure = "DNS failure"
        /// The TLS handshake failed (certificate, protocol version, not TLS at all).
        case tlsFailure = "TLS failure"
        /// No complete response within the timeout.
        case timeout
        /// The server closed or reset the connection before a response head arrived.
        case connectionClosed = "connection closed"
        /// The request could not be sent as given (invalid URL or header for the client).
        case invalidRequest = "invalid request"
        /// Any other network error.
        case network = "network error"
    }

    /// The kind of failure.
    var kind: Kind
    /// The URL the request went to.
    var url: String
    /// One line of detail, e.g. `nothing listens on 127.0.0.1:9`.
    var detail: String

    init(_ kind: Kind, url: String, detail: String) {
        self.kind = kind
        self.url = url
        // One line, whatever an underlying error's description looks like.
        self.detail = detail.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// `connection refused: nothing listens on 127.0.0.1:9 (GET http://127.0.0.1:9/me)`.
    var description: String {
        "\(kind.rawValue): \(detail) (\(url))"
    }
}
