import CORSBrowserModel
import HTTPTypes

/// Everything `cors check` found out: each request sent and its response with the rules that
/// passed or failed, the verdict, Chromium's console line, the tutorial's pitfalls it
/// recognised, the fixes and the warnings. Rendered as text by ``CheckTextRenderer`` and as
/// JSON by ``CheckJSONRenderer``.
struct CheckReport: Sendable {
    /// Whether the page's script gets the response.
    enum Verdict: String, Sendable, Hashable {
        case allowed
        case blocked
    }

    /// The request as the script made it (before any redirect).
    var request: PageRequest
    /// What the browser did before sending anything: the header verdicts and preflight reasons.
    var initialPlan: RequestPlan
    /// Every exchange, in the order sent.
    var steps: [CheckStep]
    /// The verdict.
    var verdict: Verdict
    /// The CORS rule that failed, when blocked by CORS.
    var failure: CORSFailure?
    /// The network error, when a redirect failed without a CORS error (the console then has no
    /// "blocked by CORS policy" line; the script sees `TypeError: Failed to fetch`).
    var networkError: NetworkError?
    /// Chromium's console line, when blocked by CORS.
    var consoleMessage: String?
    /// What the script can read, when allowed.
    var readable: ReadableResponse?
    /// The tutorial's pitfalls recognised, in the order found.
    var pitfalls: [CheckPitfall]
    /// How to fix what failed, and what deserves fixing although it passed.
    var fixes: [CheckFix]
    /// Warnings, each `code: message`, de-duplicated.
    var warnings: [String]
    /// The engines `--browser` asked about (Chromium alone by default).
    var browsers: [BrowserEngine] = [.chromium]
    /// What each of ``browsers`` makes of the request.
    var engines: [EngineCheck] = []
    /// The server stack that answered, and the clues (or `--stack`).
    var stack = StackDetection(stack: nil, evidence: [], isOverride: false)
    /// Whether every stack's fix is listed, not only the detected stack's (`--verbose`).
    var verbose = false

    /// The redirects followed, in order.
    var redirects: [RedirectHop] {
        steps.compactMap { step in
            if case .redirect(let hop) = step.outcome { return hop }
            return nil
        }
    }

    /// The last preflight sent, if any.
    var lastPreflight: CheckStep? {
        steps.last { $0.kind == .preflight }
    }

    /// The last actual request sent, if any.
    var lastActual: CheckStep? {
        steps.last { $0.kind == .actual }
    }

    /// 0 allowed, 1 blocked.
    var exitCode: Int32 {
        verdict == .allowed ? 0 : 1
    }
}

/// One request sent and its response.
struct CheckStep: Sendable {
    /// A preflight or the actual request (one per redirect hop).
    enum Kind: String, Sendable, Hashable {
        case preflight
        case actual
    }

    /// What the browser made of the response.
    enum Outcome: Sendable {
        /// The preflight passed; the actual request may go.
        case preflightPassed(PreflightGrant)
        /// The preflight failed.
        case preflightFailed(CORSFailure)
        /// A redirect the browser follows.
        case redirect(RedirectHop)
        /// A redirect that fails the CORS check (or carries credentials in its Location).
        case redirectBlocked(CORSFailure)
        /// A redirect the browser refuses as a network error (too many, invalid Location).
        case redirectFailed(NetworkError)
        /// The final response, readable by the script.
        case response(ReadableResponse)
        /// The final response, blocked by the CORS check.
        case responseBlocked(CORSFailure)
    }

    /// Preflight or actual request.
    var kind: Kind
    /// The plan the request came from: its page request knows the URL, origin and credentials.
    var plan: RequestPlan
    /// The request sent.
    var request: HTTPRequest
    /// The response received.
    var response: HTTPExchangeResponse
    /// The rules checked, in the browser's order, up to the first failure.
    var rules: [CheckRule]
    /// The outcome.
    var outcome: Outcome

    /// The URL the request went to.
    var url: String {
        request.exchangeURL
    }

    /// The failure of this step, if it failed.
    var failure: CORSFailure? {
        switch outcome {
        case .preflightFailed(let failure), .redirectBlocked(let failure), .responseBlocked(let failure): failure
        default: nil
        }
    }
}

/// One rule of the browser's checks, and whether it passed.
struct CheckRule: Sendable, Hashable {
    /// Passed, failed, or only informative (what the script can read).
    enum Status: String, Sendable, Hashable {
        case passed
        case failed
        case info
    }

    var status: Status
    var text: String

    static func passed(_ text: String) -> CheckRule { CheckRule(status: .passed, text: text) }
    static func failed(_ text: String) -> CheckRule { CheckRule(status: .failed, text: text) }
    static func info(_ text: String) -> CheckRule { CheckRule(status: .info, text: text) }
}

/// The tutorial's classic mistakes, by name.
enum CheckPitfall: String, Sendable, Hashable, CaseIterable {
    /// `Access-Control-Allow-Origin: *` on a request with `credentials: "include"`.
    case wildcardWithCredentials = "wildcard-with-credentials"
    /// A header the client sends that the preflight does not allow.
    case headerNotAllowed = "header-not-allowed"
    /// A credentialed request whose `Set-Cookie` lacks `SameSite=None; Secure`.
    case cookieWithoutSameSiteNone = "cookie-without-samesite-none"
    /// A 4xx/5xx response without CORS headers: a server error hidden by CORS.
    case errorWithoutCORSHeaders = "error-without-cors-headers"
    /// A redirect on the preflight or the actual request.
    case redirect

    /// The name a person reads.
    var title: String {
        switch self {
        case .wildcardWithCredentials: "wildcard with credentials"
        case .headerNotAllowed: "header not allowed"
        case .cookieWithoutSameSiteNone: "cookie without SameSite=None; Secure"
        case .errorWithoutCORSHeaders: "server error hidden by CORS"
        case .redirect: "CORS behind a redirect"
        }
    }
}

/// One fix: the problem, and what to change — the response header, and the setting in a
/// swift-cors `CORSPolicy` and in FastAPI/Starlette's `CORSMiddleware`.
struct CheckFix: Sendable, Hashable {
    /// The pitfall this fixes, when it is one of the tutorial's.
    var pitfall: CheckPitfall?
    /// What failed, in the terms each stack's fix is written for (``StackDialect/fix(for:)``).
    var kinds: [CheckFailureKind] = []
    /// What is wrong, in one or two sentences.
    var problem: String
    /// The response header(s) to send, e.g. `Access-Control-Allow-Headers: Authorization, X-Api-Key`.
    var headers: [String] = []
    /// The setting to change in a swift-cors `CORSPolicy` (JSON keys), or what to do with it.
    var corsPolicy: String?
    /// The setting to change in FastAPI/Starlette.
    var fastAPI: String?
    /// Anything else to do: in the client, in the server's code or proxy.
    var other: [String] = []
    /// The fix as a line of the detected stack's configuration first, then (with `--verbose`)
    /// every other stack's.
    var stackFixes: [StackFixLine] = []

    /// The fix as flat, labelled lines: what `--json` lists under `"fixes"`.
    var lines: [String] {
        var lines = stackFixes.map { "\($0.stack.dialect.displayName): \($0.fix)" }
        lines += headers.map { "Send the response header '\($0)'." }
        if let corsPolicy { lines.append("swift-cors CORSPolicy: \(corsPolicy)") }
        if let fastAPI { lines.append("FastAPI/Starlette: \(fastAPI)") }
        lines += other
        return lines
    }
}

/// One stack's fix for one failure: a line of that stack's configuration.
struct StackFixLine: Sendable, Hashable {
    var stack: ServerStack
    var fix: String
    /// Whether this is the fix of the stack that answered (or `--stack`), rather than one of
    /// the others `--verbose` lists.
    var isDetected: Bool
}
