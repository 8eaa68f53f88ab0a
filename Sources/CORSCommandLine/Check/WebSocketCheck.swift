import CORSBrowserModel
import Foundation
import HTTPTypes

/// What `cors check --websocket` asks: a page on ``origin`` runs `new WebSocket(url)`.
struct WebSocketCheckRequest: Sendable {
    /// The URL as the script writes it (`ws://127.0.0.1:8080/ws`).
    var socketURL: String
    /// The same URL with the scheme the handshake's HTTP request uses (`http`, `https`).
    var url: WebURL
    /// The page's origin, serialized (`null` for an opaque origin).
    var origin: String
    /// `Cookie` (the browser's cookies for the site) and `Sec-WebSocket-Protocol` (the script's
    /// protocols argument): the only fields a page's socket carries besides the handshake's.
    var extraFields: HTTPFields

    /// The header fields a page's `new WebSocket()` can make the browser send.
    static let settableFields: Set<HTTPField.Name> = [.cookie, .secWebSocketProtocol]

    /// Parses the arguments.
    ///
    /// - Throws: ``ToolFailure`` naming the invalid argument.
    init(url text: String, origin: String, headers: [HTTPField]) throws(ToolFailure) {
        var httpForm = text
        let lowered = text.lowercased()
        if lowered.hasPrefix("ws://") {
            httpForm = "http://" + text.dropFirst(5)
        } else if lowered.hasPrefix("wss://") {
            httpForm = "https://" + text.dropFirst(6)
        }
        guard let url = WebURL(httpForm) else {
            throw ToolFailure("invalid URL: '\(text)' is not a ws, wss, http or https URL")
        }
        guard let parsedOrigin = WebOrigin(origin) else {
            throw ToolFailure("invalid --origin: '\(origin)' is not an origin (scheme://host[:port], or null)")
        }
        var fields = HTTPFields()
        for header in headers {
            guard Self.settableFields.contains(header.name) else {
                throw ToolFailure(
                    "invalid --header '\(header.name.rawName)' with --websocket: a page's new WebSocket() sets no header; only Cookie (the browser's cookies for the site) and Sec-WebSocket-Protocol (its protocols argument) apply")
            }
            fields.append(header)
        }
        let socketScheme = url.scheme == "https" ? "wss" : "ws"
        self.socketURL = socketScheme + url.serialized.dropFirst(url.scheme.count)
        self.url = url
        self.origin = parsedOrigin.serialized
        self.extraFields = fields
    }

    /// The server's own origin, as its own pages send it (`http://127.0.0.1:8080`).
    var ownOrigin: String { url.origin.serialized }

    /// Whether the page is on the server's own origin.
    var isSameOrigin: Bool { origin == ownOrigin }

    /// The handshake a browser sends for this socket from a page on `origin`.
    func upgrade(from origin: String, key: WebSocketHandshakeKey) -> HTTPRequest {
        var fields = HTTPFields()
        fields[.connection] = "Upgrade"
        fields[.upgrade] = "websocket"
        fields[.origin] = origin
        fields[.secWebSocketVersion] = "13"
        fields[.secWebSocketKey] = key.value
        fields.append(contentsOf: extraFields)
        return HTTPRequest(method: .get, scheme: url.scheme, authority: url.authority, path: url.pathAndQuery, headerFields: fields)
    }
}

/// Everything `cors check --websocket` found out.
struct WebSocketCheckReport: Sendable {
    /// Whether the page gets an open socket.
    enum Verdict: String, Sendable, Hashable {
        case accepted
        case refused
    }

    /// Why, as a stable name for `--json`.
    enum Reason: String, Sendable, Hashable {
        /// 101 with a valid handshake.
        case accepted
        /// Refused, and the Origin is the reason (the server's own origin passes, or the body says so).
        case originNotTrusted = "origin-not-trusted"
        /// 403 for every origin tried: authorization, or a check the probe cannot see.
        case forbidden
        /// 401: the socket needs authentication (a cookie or a token).
        case authenticationRequired = "authentication-required"
        /// 404: nothing at that path.
        case notFound = "not-found"
        /// 2xx other than 101: an ordinary HTTP route, not a WebSocket endpoint.
        case notAWebSocketEndpoint = "not-a-websocket-endpoint"
        /// 3xx: a browser never follows a redirect on a WebSocket handshake.
        case redirected
        /// 101 with a wrong or missing `Sec-WebSocket-Accept` or `Upgrade`: the browser fails the connection.
        case invalidHandshake = "invalid-handshake"
        /// 400 or 426: the server refused the handshake itself.
        case badRequest = "bad-request"
        /// 5xx.
        case serverError = "server-error"
        /// Any other status.
        case unexpectedStatus = "unexpected-status"
    }

    /// One upgrade sent and its answer.
    struct Exchange: Sendable {
        enum Purpose: String, Sendable, Hashable {
            /// The page's own upgrade.
            case upgrade
            /// The same upgrade from the server's own origin, to tell whether the Origin is the reason.
            case sameOriginControl = "same-origin-control"
        }

        var purpose: Purpose
        var request: HTTPRequest
        var response: HTTPExchangeResponse
        var rules: [CheckRule]
        var isAccepted: Bool
    }

    var request: WebSocketCheckRequest
    var exchanges: [Exchange]
    var verdict: Verdict
    var reason: Reason
    /// What happened and why, in a sentence or three.
    var explanation: String
    /// What to change, the detected stack's line first.
    var fixes: [String]
    /// What is worth knowing whatever the outcome.
    var notes: [String]
    var stack: StackDetection

    /// 0 accepted, 1 refused.
    var exitCode: Int32 { verdict == .accepted ? 0 : 1 }
}

/// Sends the upgrade a browser sends for `new WebSocket(url)` from a page on the origin, and
/// explains the answer. A refusal with 4xx from another origin is followed by the same upgrade
/// from the server's own origin, which tells an origin check from authentication or routing.
struct WebSocketCheckRunner: Sendable {
    /// How the upgrade reaches the server (a ``RawHTTPExchanger``: the answer may be 101).
    let exchanger: any HTTPExchanger
    /// The handshake key; random, as a browser's.
    var key = WebSocketHandshakeKey.random()
    /// The stack named with `--stack`, which replaces detection.
    var stackOverride: ServerStack? = nil
    /// Whether every stack's fix is listed (`--verbose`).
    var verbose = false

    func run(_ request: WebSocketCheckRequest) async throws(HTTPExchangeError) -> WebSocketCheckReport {
        var exchanges: [WebSocketCheckReport.Exchange] = []
        let first = request.upgrade(from: request.origin, key: key)
        exchanges.append(Self.judge(.upgrade, first, try await exchanger.send(first), key: key))
        let status = exchanges[0].response.status.code
        if !exchanges[0].isAccepted, !request.isSameOrigin, (400...499).contains(status), status != 404 {
            let control = request.upgrade(from: request.ownOrigin, key: key)
            exchanges.append(Self.judge(.sameOriginControl, control, try await exchanger.send(control), key: key))
        }
        let stack = StackKnowledge.detect(
            exchanges.map {
                StackResponse(
                    status: $0.response.status.code, fields: $0.response.headerFields.map { ($0.name.rawName, $0.value) },
                    body: String(decoding: $0.response.bodyPrefix, as: UTF8.self))
            }, override: stackOverride)
        return Self.explain(request, exchanges: exchanges, stack: stack, verbose: verbose)
    }

    /// The browser's checks of one handshake answer (RFC 6455 §4.1, the client's requirements).
    static func judge(
        _ purpose: WebSocketCheckReport.Exchange.Purpose, _ request: HTTPRequest, _ response: HTTPExchangeResponse,
        key: WebSocketHandshakeKey
    ) -> WebSocketCheckReport.Exchange {
        var rules: [CheckRule] = []
        let status = response.status.code
        var accepted = false
        if status != 101 {
            rules.append(.failed("status \(status), not 101 Switching Protocols: the server did not upgrade"))
        } else {
            rules.append(.passed("status 101 Switching Protocols"))
            let upgrade = response.headerFields[values: .upgrade].contains { $0.lowercased() == "websocket" }
            let accept = response.headerFields[.secWebSocketAccept]
            if !upgrade {
                rules.append(.failed("Upgrade: websocket is missing from the answer: the browser fails the connection"))
            } else if accept != key.expectedAccept {
                rules.append(
                    .failed(
                        "Sec-WebSocket-Accept is \(accept.map { "'\($0)'" } ?? "missing"), not '\(key.expectedAccept)' (base64 of SHA-1 of the key and the RFC 6455 GUID): the browser fails the connection"
                    ))
            } else {
                rules.append(.passed("Upgrade: websocket and Sec-WebSocket-Accept matches the key: the socket is open"))
                accepted = true
            }
        }
        if response.headerFields.contains(where: { $0.name.canonicalName.hasPrefix("access-control-") }) {
            rules.append(.info("Access-Control-* fields play no part here: WebSockets are not subject to CORS"))
        }
        return .init(purpose: purpose, request: request, response: response, rules: rules, isAccepted: accepted)
    }

    static func explain(
        _ request: WebSocketCheckRequest, exchanges: [WebSocketCheckReport.Exchange], stack detection: StackDetection, verbose: Bool
    ) -> WebSocketCheckReport {
        let first = exchanges[0]
        let control = exchanges.first { $0.purpose == .sameOriginControl }
        let origin = request.origin
        let status = first.response.status.code
        let statusText = "\(status)\(first.response.status.reasonPhrase.isEmpty ? "" : " " + first.response.status.reasonPhrase)"
        let body = first.response.bodySnippet(limit: 120)
        let bodyText = body.map { " Its body: \"\($0.trimmingCharacters(in: .whitespaces))\"." } ?? ""
        let pageSees = "The page's socket only gets an error event and a close with code 1006; it cannot see the status."

        var notes = [
            "WebSockets are not subject to CORS: a browser never preflights an upgrade and ignores Access-Control-* on the answer, and it sends the site's cookies with it. Only the server's own check of the Origin keeps a page on another site from opening a socket as the user (cross-site WebSocket hijacking, CWE-1385)."
        ]
        func stackLines(_ advice: (ServerStack) -> String, generic: String, swiftCORS: String) -> [String] {
            var lines: [String] = []
            if let stack = detection.stack { lines.append("\(stack.dialect.displayName): \(advice(stack))") }
            if detection.stack.map({ ![.hummingbird, .vapor, .swiftCORS].contains($0) }) ?? true { lines.append(swiftCORS) }
            if detection.stack == nil { lines.append("Any stack: \(generic)") }
            if verbose {
                for stack in ServerStack.allCases where stack != detection.stack {
                    lines.append("\(stack.dialect.displayName): \(advice(stack))")
                }
            }
            return lines
        }

        if first.isAccepted {
            var fixes: [String] = []
            let explanation: String
            if request.isSameOrigin {
                explanation = "The server upgraded the connection (101 Switching Protocols): a page on the server's own origin \(origin) gets an open socket."
            } else {
                explanation = "The server upgraded the connection (101 Switching Protocols): a page on \(origin) gets an open socket, with the site's cookies."
                let advice = stackLines(
                    { GuardAdvice.webSocket($0, trusting: "https://app.example.com") }, generic: GuardAdvice.genericWebSocket(trusting: "https://app.example.com"),
                    swiftCORS: GuardAdvice.swiftCORSWebSocket(trusting: "https://app.example.com"))
                fixes = advice
                notes.append("cors scan URL --websocket PATH tries an upgrade from an origin nobody trusts.")
            }
            return WebSocketCheckReport(
                request: request, exchanges: exchanges, verdict: .accepted, reason: .accepted, explanation: explanation, fixes: fixes,
                notes: notes, stack: detection)
        }

        let reason: WebSocketCheckReport.Reason
        var explanation: String
        var fixes: [String] = []
        let bodyNamesOrigin = (body ?? "").lowercased().contains("origin")
        switch status {
        case 101:
            reason = .invalidHandshake
            explanation = "The server answered 101 but not with a valid WebSocket handshake, so the browser fails the connection. \(pageSees)"
            fixes = ["Answer with Upgrade: websocket, Connection: Upgrade and Sec-WebSocket-Accept computed from the request's Sec-WebSocket-Key (use the framework's WebSocket support rather than a hand-made 101)."]
        case 400...499 where status != 404 && (control?.isAccepted == true || (bodyNamesOrigin && status == 403)):
            reason = .originNotTrusted
            let evidence =
                control?.isAccepted == true
                ? "the same upgrade from the server's own origin \(request.ownOrigin) was accepted"
                : "the answer names the origin"
            explanation = "The server refused the upgrade from \(origin) with \(statusText): its WebSocket origin check does not trust \(origin) (\(evidence)).\(bodyText) \(pageSees)"
            fixes = ["If \(origin) is your frontend, trust it: add \"\(origin)\" to the origins the check allows (in swift-cors, allowOrigins of the CORS policy: WebSocketOriginGuard trusts exactly the policy's origins, so one list governs reads, writes and sockets)."]
            if let stack = detection.stack, ![.hummingbird, .vapor, .swiftCORS].contains(stack) {
                fixes.append("\(stack.dialect.displayName): \(GuardAdvice.webSocket(stack, trusting: origin))")
            }
            fixes.append("If it is not: nothing to fix. This refusal is what keeps a page on another site from opening a socket as your users.")
        case 401:
            reason = .authenticationRequired
            explanation = "The server refused the upgrade with \(statusText): the socket needs authentication, not a different origin.\(bodyText) \(pageSees)"
            fixes = ["A browser sends the site's cookies with the upgrade but no Authorization header (new WebSocket() sets none): authenticate sockets with the session cookie (SameSite=None; Secure when the page is on another site) or a token in the first message. Try the cookie with -H 'Cookie: name=value'."]
        case 403:
            reason = .forbidden
            let tried = control.map { _ in " The same upgrade from the server's own origin \(request.ownOrigin) was refused too, so the Origin is not the only reason." } ?? ""
            explanation = "The server refused the upgrade with 403 Forbidden.\(tried)\(bodyText) Authorization (a missing cookie) or a rule other than the Origin refuses it. \(pageSees)"
            fixes = ["Look at what the server's socket route requires: a session cookie (try -H 'Cookie: name=value'), a subprotocol (-H 'Sec-WebSocket-Protocol: …'), or a path or firewall rule."]
        case 404:
            reason = .notFound
            explanation = "Nothing answers WebSocket upgrades at \(request.url.pathAndQuery) (404).\(bodyText) \(pageSees)"
            fixes = ["Check the path: the socket route may live elsewhere (/ws, /socket, /socket.io/?EIO=4&transport=websocket) or behind a proxy that does not pass Upgrade on this path."]
        case 200...299:
            reason = .notAWebSocketEndpoint
            explanation = "The server answered \(statusText) as to an ordinary request: \(request.url.pathAndQuery) is not a WebSocket endpoint, or a proxy in front of it drops the Upgrade and Connection fields. \(pageSees)"
            fixes = ["Point the socket at the WebSocket route; behind nginx, pass the upgrade on: proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection \"upgrade\";"]
        case 300...399:
            reason = .redirected
            let location = first.response.headerFields[.location] ?? "?"
            explanation = "The server answered the upgrade with a redirect (\(statusText) to \(location)). Browsers never follow redirects on a WebSocket handshake: the connection fails. \(pageSees)"
            fixes = ["Open the socket at the final URL (\(location)): the usual causes are http → https (use wss://) and a trailing slash."]
        case 400, 426:
            reason = .badRequest
            explanation = "The server refused the handshake itself with \(statusText).\(bodyText) Some frameworks answer 400 when a route or check refuses the upgrade. \(pageSees)"
            fixes = ["Check that the route is a WebSocket route and that nothing between the browser and the server rewrites Upgrade and Connection; if the server checks the Origin, its log names the refusal."]
        case 500...599:
            reason = .serverError
            explanation = "The server failed while handling the upgrade (\(statusText)).\(bodyText) \(pageSees)"
            fixes = ["See the server's log for the error in the WebSocket route."]
        default:
            reason = .unexpectedStatus
            explanation = "The server answered the upgrade with \(statusText), not 101 Switching Protocols, so the browser fails the connection.\(bodyText) \(pageSees)"
        }
        if reason != .originNotTrusted && control?.isAccepted == false {
            notes.append("The same upgrade from the server's own origin \(request.ownOrigin) got \(control?.response.status.code ?? 0) too.")
        }
        return WebSocketCheckReport(
            request: request, exchanges: exchanges, verdict: .refused, reason: reason, explanation: explanation, fixes: fixes,
            notes: notes, stack: detection)
    }
}
