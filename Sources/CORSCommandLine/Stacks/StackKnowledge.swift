/// The failure reasons a stack's fix is written for, with what the fix needs to name.
enum CheckFailureKind: Sendable, Hashable {
    /// No `Access-Control-Allow-Origin` for this origin: the server does not trust it.
    case originNotAllowed(origin: String)
    /// The preflight's `Access-Control-Allow-Methods` lacks the method.
    case methodNotAllowed(method: String)
    /// The preflight's `Access-Control-Allow-Headers` lacks the request header.
    case headerNotAllowed(name: String)
    /// A credentialed request without `Access-Control-Allow-Credentials: true`.
    case credentialsNotAllowed(origin: String)
    /// `Access-Control-Allow-Origin: *` on a credentialed request.
    case wildcardWithCredentials(origin: String)
    /// The page reads a response header that is not exposed.
    case headerNotExposed(name: String)
    /// The preflight was answered with a status that is not ok (auth, 404 or 405 on `OPTIONS`).
    case preflightNotOK(status: Int)
    /// The preflight was redirected (a trailing-slash or http → https rewrite).
    case preflightRedirected
    /// An error response (404, 500…) without the CORS headers; `origin` is the page's, when
    /// known, so that the fix can name the value to send.
    case errorWithoutCORSHeaders(status: Int, origin: String? = nil)
    /// A preflight answered with an ok status but no CORS field at all: something other than
    /// the CORS layer answered `OPTIONS` (Express's automatic `OPTIONS` when `cors()` is
    /// mounted on single routes, Flask's, a proxy's).
    case preflightAnsweredWithoutCORS(path: String)
    /// Two `Access-Control-Allow-Origin` values: the proxy and the application both add one.
    case duplicateAllowOrigin
    /// A Private Network Access preflight without `Access-Control-Allow-Private-Network`.
    case privateNetworkNotAllowed

    /// One of each, for tests and documentation.
    static let examples: [CheckFailureKind] = [
        .originNotAllowed(origin: "https://app.example.com"), .methodNotAllowed(method: "PATCH"),
        .headerNotAllowed(name: "x-api-key"), .credentialsNotAllowed(origin: "https://app.example.com"),
        .wildcardWithCredentials(origin: "https://app.example.com"), .headerNotExposed(name: "x-request-id"),
        .preflightNotOK(status: 401), .preflightRedirected,
        .errorWithoutCORSHeaders(status: 500, origin: "https://app.example.com"),
        .preflightAnsweredWithoutCORS(path: "/me"), .duplicateAllowOrigin, .privateNetworkNotAllowed,
    ]
}

/// One response as stack detection sees it: status, fields in order, and the start of the body.
struct StackResponse: Sendable {
    var status: Int
    var fields: [(name: String, value: String)]
    var body: String

    init(status: Int, fields: [(name: String, value: String)], body: String = "") {
        self.status = status
        self.fields = fields
        self.body = String(body.prefix(4096))
    }

    /// Every value of the field `name` (case-insensitive), joined with ", ".
    func value(_ name: String) -> String? {
        let values = fields.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }
}

/// Which stack answered, and on what evidence.
struct StackDetection: Sendable {
    /// The detected stack; `nil` is "unknown".
    var stack: ServerStack?
    /// The clues, in the words printed after "detected … from".
    var evidence: [String]
    /// Whether the stack was named with `--stack` rather than detected.
    var isOverride: Bool
    /// Every stack that left a clue, the most likely first (a proxy in front of an application
    /// leaves clues of both).
    var candidates: [ServerStack] = []

    /// "nginx (Server: nginx/1.22.1)", "FastAPI/Starlette (body 'Disallowed CORS method')",
    /// "unknown".
    var summary: String {
        guard let stack else { return "unknown" }
        let name = stack.dialect.displayName
        if isOverride { return "\(name) (--stack)" }
        return evidence.isEmpty ? name : "\(name) (\(evidence.joined(separator: "; ")))"
    }
}

/// Stack knowledge as the check and scan advisors use it.
enum StackKnowledge {
    /// Detects the stack behind `responses` (every response of one check or scan). Each
    /// stack's clues count; the stack with the most wins, an application framework beating a
    /// proxy in front of it when both leave clues (the application is where CORS is usually
    /// configured, unless the proxy's own error page answered).
    static func detect(_ responses: [StackResponse], override: ServerStack? = nil) -> StackDetection {
        var scored: [(stack: ServerStack, evidence: [String], score: Int)] = []
        for stack in ServerStack.allCases {
            var clues: [String] = []
            for response in responses {
                for clue in stack.dialect.evidence(in: response) where !clues.contains(clue) { clues.append(clue) }
            }
            guard !clues.isEmpty else { continue }
            scored.append((stack, clues, clues.count * 2 + (Self.isProxy(stack) ? 0 : 1)))
        }
        // Stable: among equal scores the order of `ServerStack.allCases` decides.
        let ranked = scored.enumerated().sorted { ($0.element.score, -$0.offset) > ($1.element.score, -$1.offset) }.map(\.element)
        if let override {
            let evidence = ranked.first { $0.stack == override }?.evidence ?? []
            return StackDetection(stack: override, evidence: evidence, isOverride: true, candidates: ranked.map(\.stack))
        }
        guard let best = ranked.first else { return StackDetection(stack: nil, evidence: [], isOverride: false) }
        return StackDetection(stack: best.stack, evidence: best.evidence, isOverride: false, candidates: ranked.map(\.stack))
    }

    /// Fixes for `failure`: the detected stack's first, then (for `--verbose`) every other's.
    static func fixes(for failure: CheckFailureKind, detection: StackDetection, verbose: Bool)
        -> [(stack: ServerStack, fix: String)]
    {
        var result: [(ServerStack, String)] = []
        if let stack = detection.stack { result.append((stack, stack.dialect.fix(for: failure))) }
        if verbose {
            for stack in ServerStack.allCases where stack != detection.stack {
                result.append((stack, stack.dialect.fix(for: failure)))
            }
        }
        return result
    }

    static func isProxy(_ stack: ServerStack) -> Bool {
        stack == .nginx || stack == .caddy || stack == .apache
    }

    /// A `Server` field's product token, lowercased: "nginx" for "nginx/1.22.1 (Debian)".
    static func serverProduct(_ response: StackResponse) -> String? {
        response.value("Server").map { String($0.prefix { $0 != "/" && $0 != " " }).lowercased() }
    }
}
