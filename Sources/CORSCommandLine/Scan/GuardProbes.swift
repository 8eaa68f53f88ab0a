import ArgumentParser
import HTTPTypes

/// A state-changing route named with `--state-changing METHOD:PATH` (`POST:/transfer`).
struct StateChangingRoute: Sendable, Hashable, ExpressibleByArgument {
    var method: String
    var path: String

    init(method: String, path: String) {
        self.method = method
        self.path = path
    }

    /// `POST:/transfer`; the method must change state (not GET, HEAD, OPTIONS, TRACE or CONNECT)
    /// and the path start with `/`.
    init?(argument: String) {
        guard let colon = argument.firstIndex(of: ":") else { return nil }
        let method = argument[..<colon].uppercased()
        let path = String(argument[argument.index(after: colon)...])
        guard !method.isEmpty, method.allSatisfy({ $0.isLetter }), !["GET", "HEAD", "OPTIONS", "TRACE", "CONNECT"].contains(method),
            ScanRoutes.isPath(path)
        else { return nil }
        self.init(method: method, path: path)
    }

    var defaultValueDescription: String { "\(method):\(path)" }
}

/// The routes the user named for the probes that are never sent unasked: they open a socket and
/// really submit a form, which a route without protection executes.
struct ScanRoutes: Sendable, Hashable {
    /// `--websocket PATH`: WebSocket endpoints to try an upgrade on.
    var webSocketPaths: [String] = []
    /// `--state-changing METHOD:PATH`: routes to send a cross-site form to.
    var stateChanging: [StateChangingRoute] = []
    /// `--cookie`: the session cookie a victim's browser would send along.
    var cookie: String? = nil

    var isEmpty: Bool { webSocketPaths.isEmpty && stateChanging.isEmpty }

    /// The most requests the probes send per target: an upgrade and its control per socket, one
    /// form per route. The other probes leave this many requests of `--max-requests` to them.
    var maximumRequests: Int { webSocketPaths.count * 2 + stateChanging.count }

    /// A path and optional query, with nothing a request line cannot carry.
    static func isPath(_ text: String) -> Bool {
        text.hasPrefix("/") && !text.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F || $0 == "#" }
    }
}

/// The probes of the guards CORS does not provide: a WebSocket upgrade from an origin nobody
/// trusts (`websocket-origin`, CWE-1385) and a cross-site form `POST` (`csrf-unprotected`,
/// CWE-352), each only on a route the user named. They go through a ``RawHTTPExchanger`` (an
/// upgrade is answered 101; a form has a body), under the scan's `--rate` and within what is left
/// of `--max-requests`.
struct GuardProbes: Sendable {
    var routes: ScanRoutes
    var exchanger: RawHTTPExchanger
    var throttle: RequestThrottle
    /// The scan's random label: the attacker's origin is `scheme://cors-probe-TOKEN.com`.
    var token: String

    struct Outcome: Sendable {
        var requests = 0
        var findings: [ScanFinding] = []
        var notes: [String] = []
        /// Every response, for stack detection.
        var responses: [HTTPExchangeResponse] = []
    }

    /// The form body: one field that names the probe and nothing a handler acts on.
    var formBody: String { "cors-probe=\(token)" }

    /// Runs the probes on `target`.
    ///
    /// - Parameters:
    ///   - trusted: an origin the API trusts (the control upgrade's origin), else the target's own.
    ///   - detection: the stack the other probes' responses point to.
    ///   - budget: how many requests may still be sent to this target.
    func run(target: ScanTarget, trusted: String?, detection: StackDetection, budget: Int) async -> Outcome {
        var outcome = Outcome()
        let attacker = "\(target.scheme)://cors-probe-\(token).com"
        let key = WebSocketHandshakeKey.random()
        var evidence: [(kind: ScanFindingCode, path: String, severity: ScanSeverity, shown: ScanEvidence, status: Int)] = []

        func send(_ request: HTTPRequest, body: String = "") async -> Result<HTTPExchangeResponse, HTTPExchangeError>? {
            guard outcome.requests < budget else { return nil }
            try? await throttle.acquire()
            outcome.requests += 1
            do {
                let response = try await exchanger.send(request, body: Array(body.utf8))
                outcome.responses.append(response)
                return .success(response)
            } catch {
                return .failure(error)
            }
        }
        func shown(_ request: HTTPRequest, _ response: HTTPExchangeResponse, name: String) -> ScanEvidence {
            var fields: [String: String] = [:]
            for field in request.headerFields where field.name != .secWebSocketKey { fields[field.name.rawName] = field.value }
            var evidence = ScanEvidence(
                request: name, origin: request.headerFields[.origin], method: request.method.rawValue, target: request.path ?? "/",
                requestHeaders: fields, response: response)
            // What shows an upgrade happened, besides the status.
            for field in response.headerFields where ["upgrade", "connection", "sec-websocket-accept"].contains(field.name.canonicalName) {
                evidence.headers[field.name.rawName] = field.value
            }
            return evidence
        }
        var skipped = 0

        for path in routes.webSocketPaths {
            let upgrade = Self.upgrade(target: target, path: path, origin: attacker, key: key, cookie: routes.cookie)
            guard let result = await send(upgrade) else {
                skipped += 1
                continue
            }
            switch result {
            case .failure(let error):
                outcome.notes.append("the WebSocket upgrade of \(path) got no answer: \(error.description)")
            case .success(let response):
                let judged = WebSocketCheckRunner.judge(.upgrade, upgrade, response, key: key)
                if judged.isAccepted {
                    evidence.append((.websocketOrigin, path, routes.cookie == nil ? .medium : .high, shown(upgrade, response, name: "websocket"), 101))
                    continue
                }
                if response.status.code == 101 {
                    outcome.notes.append("\(path) answered the upgrade from \(attacker) with 101 but not a valid handshake (no Upgrade: websocket or a wrong Sec-WebSocket-Accept), so browsers fail it")
                    continue
                }
                // Refused: is it the origin check, or is the socket not there for anyone?
                let controlOrigin = trusted ?? target.origin
                let control = Self.upgrade(target: target, path: path, origin: controlOrigin, key: key, cookie: routes.cookie)
                guard case .success(let controlResponse)? = await send(control) else { continue }
                if !WebSocketCheckRunner.judge(.sameOriginControl, control, controlResponse, key: key).isAccepted {
                    outcome.notes.append(
                        "\(path) refused the WebSocket upgrade from every origin tried (\(attacker): \(response.status.code), \(controlOrigin): \(controlResponse.status.code))\(routes.cookie == nil && [401, 403].contains(controlResponse.status.code) ? "; if the socket needs a session, pass it with --cookie" : ": is it a WebSocket route?")"
                    )
                }
            }
        }

        for route in routes.stateChanging {
            let form = Self.crossSiteForm(target: target, route: route, origin: attacker, cookie: routes.cookie)
            guard let result = await send(form, body: formBody) else {
                skipped += 1
                continue
            }
            switch result {
            case .failure(let error):
                outcome.notes.append("the cross-site form \(route.method) \(route.path) got no answer: \(error.description)")
            case .success(let response):
                let status = response.status.code
                switch status {
                case 200...399:
                    let severity: ScanSeverity =
                        route.method == "POST" ? (routes.cookie == nil ? .medium : .high) : (routes.cookie == nil ? .low : .medium)
                    evidence.append((.csrfUnprotected, "\(route.method) \(route.path)", severity, shown(form, response, name: route.method), status))
                case 403:
                    break
                case 401:
                    outcome.notes.append(
                        routes.cookie == nil
                            ? "the cross-site form \(route.method) \(route.path) got 401: the route needs a session; pass one with --cookie to find out whether a cross-site form runs as the user"
                            : "the cross-site form \(route.method) \(route.path) got 401 although --cookie was sent: is the cookie still a valid session?")
                case 404, 405:
                    outcome.notes.append("the cross-site form \(route.method) \(route.path) got \(status): the route does not take \(route.method) at that path")
                case 400, 422:
                    outcome.notes.append(
                        "the cross-site form \(route.method) \(route.path) got \(status): it passed any origin check and was refused by the handler's validation of its fields (the probe sends only \(formBody)); a form with the fields the route expects would probably reach it — protection refuses with 403 before the handler")
                default:
                    outcome.notes.append("the cross-site form \(route.method) \(route.path) got \(status)")
                }
            }
        }
        if skipped > 0 {
            outcome.notes.append("\(skipped) route probes were not sent: the per-target cap of requests was reached (raise it with --max-requests)")
        }

        let stack = detection.stack ?? StackKnowledge.detect(
            outcome.responses.map { response in
                StackResponse(
                    status: response.status.code, fields: response.headerFields.map { ($0.name.rawName, $0.value) },
                    body: String(decoding: response.bodyPrefix, as: UTF8.self))
            }
        ).stack
        let frontend = trusted ?? "https://app.example.com"
        for item in evidence {
            let text = Self.text(item.kind, path: item.path, attacker: attacker, status: item.status, cookie: routes.cookie != nil)
            var fixes: [String] = []
            if let stack { fixes.append("\(stack.dialect.displayName): " + (item.kind == .websocketOrigin ? GuardAdvice.webSocket(stack, trusting: frontend) : GuardAdvice.crossOrigin(stack, trusting: frontend))) }
            if stack.map({ ![.hummingbird, .vapor, .swiftCORS].contains($0) }) ?? true {
                fixes.append(item.kind == .websocketOrigin ? GuardAdvice.swiftCORSWebSocket(trusting: frontend) : GuardAdvice.swiftCORSCrossOrigin(trusting: frontend))
            }
            if stack == nil {
                fixes.append("Any stack: " + (item.kind == .websocketOrigin ? GuardAdvice.genericWebSocket(trusting: frontend) : GuardAdvice.genericCrossOrigin(trusting: frontend)))
            }
            outcome.findings.append(
                ScanFinding(
                    code: item.kind, severity: item.severity, probeOrigin: attacker, evidence: [item.shown],
                    explanation: text, fix: fixes.joined(separator: " | "), anchor: item.path))
        }
        return outcome
    }

    /// What the finding means, in the words of what was seen.
    static func text(_ code: ScanFindingCode, path: String, attacker: String, status: Int, cookie: Bool) -> String {
        if code == .websocketOrigin {
            let impact =
                cookie
                ? "The upgrade carried the session cookie given with --cookie, as a victim's browser does: a page on any site opens this socket as the user and reads and writes what the user could."
                : "Browsers send the site's cookies with an upgrade: if this socket is authenticated by a cookie, a page on any site opens it as the user (high; pass --cookie to find out)."
            return "The WebSocket at \(path) accepted an upgrade from \(attacker), an origin nobody trusts (101 Switching Protocols). WebSockets are not subject to CORS: no preflight, no Access-Control-* check, so only the server's Origin check stops cross-site WebSocket hijacking (CWE-1385). \(impact)"
        }
        let parts = path.split(separator: " ", maxSplits: 1).map(String.init)
        let method = parts.first ?? "POST"
        let route = parts.count > 1 ? parts[1] : path
        let how =
            method == "POST"
            ? "an HTML form on any site sends exactly this"
            : "a browser sends \(method) cross-site only after a preflight the CORS policy grants, so this needs a CORS weakness too"
        let impact =
            cookie
            ? "It carried the session cookie given with --cookie, as a victim's browser does when the cookie is SameSite=None: the action runs as the user."
            : "No cookie was sent (pass the session with --cookie): if the route acts on a cookie session, the action runs as the user."
        return "A cross-site \(method) to \(route) (Content-Type: application/x-www-form-urlencoded, Origin: \(attacker), Sec-Fetch-Site: cross-site) reached the route: \(status). \(how.prefix(1).uppercased() + how.dropFirst()). CORS does not stop it: it only hides the answer from the page, after the side effect (CSRF, CWE-352). \(impact)"
    }

    /// The upgrade a browser sends for `new WebSocket(…)` from a page on `origin`.
    static func upgrade(target: ScanTarget, path: String, origin: String, key: WebSocketHandshakeKey, cookie: String?) -> HTTPRequest {
        var fields = HTTPFields()
        fields[.connection] = "Upgrade"
        fields[.upgrade] = "websocket"
        fields[.origin] = origin
        fields[.secWebSocketVersion] = "13"
        fields[.secWebSocketKey] = key.value
        if let cookie { fields[.cookie] = cookie }
        return HTTPRequest(method: .get, scheme: target.scheme, authority: target.authority, path: path, headerFields: fields)
    }

    /// What a browser sends when a page on `origin` submits a form to the route.
    static func crossSiteForm(target: ScanTarget, route: StateChangingRoute, origin: String, cookie: String?) -> HTTPRequest {
        var fields = HTTPFields()
        fields[.contentType] = "application/x-www-form-urlencoded"
        fields[.origin] = origin
        fields[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
        fields[HTTPField.Name("Sec-Fetch-Mode")!] = "navigate"
        fields[HTTPField.Name("Sec-Fetch-Dest")!] = "document"
        if let cookie { fields[.cookie] = cookie }
        fields[.connection] = "close"
        return HTTPRequest(
            method: HTTPRequest.Method(route.method) ?? .post, scheme: target.scheme, authority: target.authority, path: route.path,
            headerFields: fields)
    }
}
