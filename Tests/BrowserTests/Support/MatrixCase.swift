import Foundation
import Testing

/// What happened to a `fetch`: the page read a response, or the browser blocked it.
enum Verdict: Hashable, Sendable, CustomStringConvertible {
    /// The script got the response, with this status.
    case allowed(status: Int)
    /// Blocked by a CORS rule: Chromium's `CorsError` name and `failedParameter`.
    case blocked(String, String? = nil)
    /// Failed without a CORS error (`net::…`).
    case networkError(String)

    var description: String {
        switch self {
        case .allowed(let status): "allowed (\(status))"
        case .blocked(let reason, let parameter): parameter.map { "\(reason) ('\($0)')" } ?? reason
        case .networkError(let error): "network error \(error)"
        }
    }

    var isAllowed: Bool {
        if case .allowed = self { true } else { false }
    }

    /// `failedParameter` of a blocked verdict.
    var failedParameter: String? {
        if case .blocked(_, let parameter) = self { parameter } else { nil }
    }

    /// The verdict and reason alone.
    var withoutParameter: Verdict {
        if case .blocked(let reason, _) = self { .blocked(reason) } else { self }
    }
}

extension FetchOutcome {
    /// Chromium's verdict: the status the script saw, or the CORS error DevTools reported
    /// (an empty `failedParameter` counts as none), or the `net::` error.
    var verdict: Verdict {
        if let status { return .allowed(status: status) }
        if let corsError {
            return .blocked(corsError, failedParameter.flatMap { $0.isEmpty ? nil : $0 })
        }
        return .networkError(networkError ?? scriptError ?? "unknown")
    }
}

/// One row of the cross-check matrix: what the page asks for, what the server answers, and
/// what Chromium 156 does with it (measured, then kept as the expectation).
struct MatrixCase: Sendable, CustomTestStringConvertible {
    let id: String
    let title: String
    let method: String
    let headers: [(name: String, value: String)]
    let credentials: String
    let body: String?
    /// The answer to any `OPTIONS` of the case (`nil`: 204 without CORS headers).
    let preflight: ResponseSpec?
    /// The answer to the actual request at `/case/ID`.
    let actual: ResponseSpec
    /// The answer at `/case/ID/target`, where redirects point.
    let target: ResponseSpec?
    /// Chromium's verdict, as measured.
    let chromium: Verdict
    /// When set: the names (lowercased) among the response's own headers that Chromium lets
    /// the script read, as measured.
    let chromiumReads: [String]?

    init(
        _ id: String, _ title: String, method: String = "GET", headers: [(String, String)] = [],
        credentials: String = "omit", body: String? = nil, preflight: ResponseSpec? = nil,
        actual: ResponseSpec = ResponseSpec(200, [("Access-Control-Allow-Origin", "*")]),
        target: ResponseSpec? = nil, chromium: Verdict, reads: [String]? = nil
    ) {
        self.id = id
        self.title = title
        self.method = method
        self.headers = headers.map { (name: $0.0, value: $0.1) }
        self.credentials = credentials
        self.body = body
        self.preflight = preflight
        self.actual = actual
        self.target = target
        self.chromium = chromium
        self.chromiumReads = reads
    }

    var testDescription: String { id }

    /// `GET … (credentials) [headers]`, for the matrix table in Docs/testing.md.
    var requestSummary: String {
        let fields = headers.map { header in
            let value = header.value.utf8.count > 40 ? "\(header.value.prefix(8))… (\(header.value.utf8.count) bytes)" : header.value
            return "\(header.name): \(value)"
        }.joined(separator: "; ")
        return "\(method) \(credentials)" + (fields.isEmpty ? "" : " · \(fields)")
    }
}

private let acao = "Access-Control-Allow-Origin"
private let acac = "Access-Control-Allow-Credentials"
private let acam = "Access-Control-Allow-Methods"
private let acah = "Access-Control-Allow-Headers"
private let aceh = "Access-Control-Expose-Headers"

/// A preflight that allows the page's origin with credentials and `methods` / `headers`.
private func preflightAllowing(methods: String = "PUT", headers: String? = nil, status: Int = 204) -> ResponseSpec {
    var fields = [(acao, "{origin}"), (acac, "true"), (acam, methods)]
    if let headers { fields.append((acah, headers)) }
    return ResponseSpec(status, fields)
}

/// An actual response that allows the page's origin with credentials.
private let allowedWithCredentials = ResponseSpec(200, [(acao, "{origin}"), (acac, "true")], body: "ok")
/// An actual response that allows any origin, without credentials.
private let allowedToAnyone = ResponseSpec(200, [(acao, "*")], body: "ok")
/// A preflight that allows any origin and method, and no header: if Chromium preflights a
/// request with a custom header, it fails naming that header.
private let preflightAllowingNoHeader = ResponseSpec(204, [(acao, "*"), (acam, "*")])

extension MatrixCase {
    /// The cases, in the order of the matrix table in Docs/testing.md.
    static let all: [MatrixCase] = [
        // Access-Control-Allow-Origin on a simple GET.
        MatrixCase("acao-exact", "Allow-Origin is the page's origin", actual: ResponseSpec(200, [(acao, "{origin}")]),
            chromium: .allowed(status: 200)),
        MatrixCase("acao-missing", "no Allow-Origin", actual: ResponseSpec(200, []),
            chromium: .blocked("MissingAllowOriginHeader")),
        MatrixCase("acao-multiple-values", "Allow-Origin: origin, http://other.example",
            actual: ResponseSpec(200, [(acao, "{origin}, http://other.example")]),
            chromium: .blocked("MultipleAllowOriginValues", "{origin}, http://other.example")),
        MatrixCase("acao-two-lines", "two Allow-Origin lines, both the page's origin",
            actual: ResponseSpec(200, [(acao, "{origin}"), (acao, "{origin}")]),
            chromium: .blocked("MultipleAllowOriginValues", "{origin}, {origin}")),
        MatrixCase("acao-mismatch", "Allow-Origin: http://other.example",
            actual: ResponseSpec(200, [(acao, "http://other.example")]),
            chromium: .blocked("AllowOriginMismatch", "http://other.example")),
        MatrixCase("acao-trailing-slash", "Allow-Origin: the origin with a trailing /",
            actual: ResponseSpec(200, [(acao, "{origin}/")]),
            chromium: .blocked("AllowOriginMismatch", "{origin}/")),
        MatrixCase("acao-uppercase", "Allow-Origin: the origin in upper case",
            actual: ResponseSpec(200, [(acao, "HTTP://LOCALHOST:{pagePort}")]),
            chromium: .blocked("AllowOriginMismatch", "HTTP://LOCALHOST:{pagePort}")),
        MatrixCase("acao-null", "Allow-Origin: null", actual: ResponseSpec(200, [(acao, "null")]),
            chromium: .blocked("AllowOriginMismatch", "null")),
        MatrixCase("acao-not-a-url", "Allow-Origin: not-an-origin", actual: ResponseSpec(200, [(acao, "not-an-origin")]),
            chromium: .blocked("InvalidAllowOriginValue", "not-an-origin")),
        MatrixCase("acao-wildcard", "Allow-Origin: * without credentials", actual: allowedToAnyone,
            chromium: .allowed(status: 200)),
        MatrixCase("acao-wildcard-credentials", "Allow-Origin: * and Allow-Credentials: true, credentials included",
            credentials: "include", actual: ResponseSpec(200, [(acao, "*"), (acac, "true")]),
            chromium: .blocked("WildcardOriginNotAllowed")),
        MatrixCase("acao-wildcard-same-origin-mode", "Allow-Origin: *, credentials same-origin",
            credentials: "same-origin", actual: allowedToAnyone, chromium: .allowed(status: 200)),
        MatrixCase("acac-exact", "Allow-Credentials: true, credentials included", credentials: "include",
            actual: allowedWithCredentials, chromium: .allowed(status: 200)),
        MatrixCase("acac-capitalised", "Allow-Credentials: True", credentials: "include",
            actual: ResponseSpec(200, [(acao, "{origin}"), (acac, "True")]),
            chromium: .blocked("InvalidAllowCredentials", "True")),
        MatrixCase("acac-missing", "no Allow-Credentials, credentials included", credentials: "include",
            actual: ResponseSpec(200, [(acao, "{origin}")]), chromium: .blocked("InvalidAllowCredentials")),
        MatrixCase("acac-same-origin-mode", "no Allow-Credentials, credentials same-origin", credentials: "same-origin",
            actual: ResponseSpec(200, [(acao, "{origin}")]), chromium: .allowed(status: 200)),
        MatrixCase("status-500-with-acao", "500 with Allow-Origin", actual: ResponseSpec(500, [(acao, "*")]),
            chromium: .allowed(status: 500)),
        MatrixCase("status-500-without-acao", "500 without Allow-Origin", actual: ResponseSpec(500, []),
            chromium: .blocked("MissingAllowOriginHeader")),

        // Preflights (PUT with credentials unless noted).
        MatrixCase("preflight-ok", "preflight allows PUT", method: "PUT", credentials: "include",
            preflight: preflightAllowing(), actual: allowedWithCredentials, chromium: .allowed(status: 200)),
        MatrixCase("preflight-method-missing", "Allow-Methods: GET, POST", method: "PUT", credentials: "include",
            preflight: preflightAllowing(methods: "GET, POST"), actual: allowedWithCredentials,
            chromium: .blocked("MethodDisallowedByPreflightResponse", "PUT")),
        MatrixCase("preflight-method-lowercase", "Allow-Methods: put", method: "PUT", credentials: "include",
            preflight: preflightAllowing(methods: "put"), actual: allowedWithCredentials,
            chromium: .blocked("MethodDisallowedByPreflightResponse", "PUT")),
        MatrixCase("preflight-method-lowercase-request", "fetch method 'patch' (not normalised), Allow-Methods: PATCH",
            method: "patch", credentials: "include", preflight: preflightAllowing(methods: "PATCH"),
            actual: allowedWithCredentials, chromium: .blocked("MethodDisallowedByPreflightResponse", "patch")),
        MatrixCase("preflight-method-normalised", "fetch method 'delete' (normalised to DELETE), Allow-Methods: DELETE",
            method: "delete", credentials: "include", preflight: preflightAllowing(methods: "DELETE"),
            actual: allowedWithCredentials, chromium: .allowed(status: 200)),
        MatrixCase("preflight-method-wildcard", "Allow-Methods: *, no credentials", method: "PUT",
            preflight: ResponseSpec(204, [(acao, "*"), (acam, "*")]), actual: allowedToAnyone,
            chromium: .allowed(status: 200)),
        MatrixCase("preflight-method-wildcard-credentials", "Allow-Methods: *, credentials included", method: "PUT",
            credentials: "include", preflight: preflightAllowing(methods: "*"), actual: allowedWithCredentials,
            chromium: .blocked("MethodDisallowedByPreflightResponse", "PUT")),
        MatrixCase("preflight-methods-unparsable", "Allow-Methods: PUT DELETE (not a list)", method: "PUT",
            credentials: "include", preflight: preflightAllowing(methods: "PUT DELETE"), actual: allowedWithCredentials,
            chromium: .blocked("InvalidAllowMethodsPreflightResponse")),
        MatrixCase("preflight-header-missing", "X-Custom sent, Allow-Headers: x-other", headers: [("X-Custom", "1")],
            credentials: "include", preflight: preflightAllowing(methods: "GET", headers: "x-other"),
            actual: allowedWithCredentials, chromium: .blocked("HeaderDisallowedByPreflightResponse", "x-custom")),
        MatrixCase("preflight-header-listed", "X-Custom sent, Allow-Headers: X-CUSTOM", headers: [("X-Custom", "1")],
            credentials: "include", preflight: preflightAllowing(methods: "GET", headers: "X-CUSTOM"),
            actual: allowedWithCredentials, chromium: .allowed(status: 200)),
        MatrixCase("preflight-headers-unparsable", "Allow-Headers: x-custom; x-other (not a list)",
            headers: [("X-Custom", "1")], credentials: "include",
            preflight: preflightAllowing(methods: "GET", headers: "x-custom; x-other"), actual: allowedWithCredentials,
            chromium: .blocked("InvalidAllowHeadersPreflightResponse")),
        MatrixCase("preflight-authorization-wildcard", "Authorization sent, Allow-Headers: *, no credentials",
            headers: [("Authorization", "Bearer t")], preflight: ResponseSpec(204, [(acao, "*"), (acah, "*")]),
            actual: allowedToAnyone, chromium: .allowed(status: 200)),
        MatrixCase("preflight-authorization-wildcard-credentials",
            "Authorization sent, Allow-Headers: *, credentials included", headers: [("Authorization", "Bearer t")],
            credentials: "include", preflight: preflightAllowing(methods: "GET", headers: "*"),
            actual: allowedWithCredentials, chromium: .blocked("HeaderDisallowedByPreflightResponse", "authorization")),
        MatrixCase("preflight-custom-wildcard", "X-Custom sent, Allow-Headers: *, no credentials",
            headers: [("X-Custom", "1")], preflight: ResponseSpec(204, [(acao, "*"), (acah, "*")]),
            actual: allowedToAnyone, chromium: .allowed(status: 200)),
        MatrixCase("preflight-custom-wildcard-credentials", "X-Custom sent, Allow-Headers: *, credentials included",
            headers: [("X-Custom", "1")], credentials: "include",
            preflight: preflightAllowing(methods: "GET", headers: "*"), actual: allowedWithCredentials,
            chromium: .blocked("HeaderDisallowedByPreflightResponse", "x-custom")),
        MatrixCase("preflight-acao-missing", "preflight without Allow-Origin", method: "PUT", credentials: "include",
            preflight: ResponseSpec(204, [(acam, "PUT")]), actual: allowedWithCredentials,
            chromium: .blocked("PreflightMissingAllowOriginHeader")),
        MatrixCase("preflight-acao-mismatch", "preflight Allow-Origin: http://other.example", method: "PUT",
            credentials: "include", preflight: ResponseSpec(204, [(acao, "http://other.example"), (acac, "true"), (acam, "PUT")]),
            actual: allowedWithCredentials, chromium: .blocked("PreflightAllowOriginMismatch", "http://other.example")),
        MatrixCase("preflight-acao-wildcard-credentials", "preflight Allow-Origin: *, credentials included",
            method: "PUT", credentials: "include", preflight: ResponseSpec(204, [(acao, "*"), (acac, "true"), (acam, "PUT")]),
            actual: allowedWithCredentials, chromium: .blocked("PreflightWildcardOriginNotAllowed")),
        MatrixCase("preflight-acac-capitalised", "preflight Allow-Credentials: True", method: "PUT",
            credentials: "include", preflight: ResponseSpec(204, [(acao, "{origin}"), (acac, "True"), (acam, "PUT")]),
            actual: allowedWithCredentials, chromium: .blocked("PreflightInvalidAllowCredentials", "True")),
        MatrixCase("preflight-500-with-acao", "preflight 500 with Allow-Origin", method: "PUT", credentials: "include",
            preflight: preflightAllowing(status: 500), actual: allowedWithCredentials,
            chromium: .blocked("PreflightInvalidStatus")),
        MatrixCase("preflight-404-without-acao", "preflight 404 without CORS headers", method: "PUT",
            credentials: "include", preflight: ResponseSpec(404, []), actual: allowedWithCredentials,
            chromium: .blocked("PreflightMissingAllowOriginHeader")),
        MatrixCase("preflight-redirect", "preflight answered 302 (with CORS headers)", method: "PUT",
            credentials: "include",
            preflight: ResponseSpec(302, [(acao, "{origin}"), (acac, "true"), (acam, "PUT"), ("Location", "{target}")]),
            actual: allowedWithCredentials, target: allowedWithCredentials,
            chromium: .blocked("PreflightDisallowedRedirect")),
        MatrixCase("preflight-ok-actual-without-acao", "preflight allows PUT, PUT response lacks Allow-Origin",
            method: "PUT", credentials: "include", preflight: preflightAllowing(), actual: ResponseSpec(200, []),
            chromium: .blocked("MissingAllowOriginHeader")),

        // Which requests Chromium preflights: the preflight allows no header, so a preflighted
        // request fails naming the header and a simple one is allowed.
        MatrixCase("content-type-text-plain", "POST Content-Type: text/plain;charset=UTF-8", method: "POST",
            headers: [("Content-Type", "text/plain;charset=UTF-8")], body: "x", preflight: preflightAllowingNoHeader,
            chromium: .allowed(status: 200)),
        MatrixCase("content-type-form", "POST Content-Type: application/x-www-form-urlencoded", method: "POST",
            headers: [("Content-Type", "application/x-www-form-urlencoded")], body: "a=1",
            preflight: preflightAllowingNoHeader, chromium: .allowed(status: 200)),
        MatrixCase("content-type-json", "POST Content-Type: application/json", method: "POST",
            headers: [("Content-Type", "application/json")], body: "{}", preflight: preflightAllowingNoHeader,
            chromium: .blocked("HeaderDisallowedByPreflightResponse", "content-type")),
        MatrixCase("content-type-unsafe-byte", #"POST Content-Type: text/plain; charset="utf-8" (a quote)"#,
            method: "POST", headers: [("Content-Type", #"text/plain; charset="utf-8""#)], body: "x",
            preflight: preflightAllowingNoHeader, chromium: .blocked("HeaderDisallowedByPreflightResponse", "content-type")),
        MatrixCase("accept-safelisted", "Accept: application/json", headers: [("Accept", "application/json")],
            preflight: preflightAllowingNoHeader, chromium: .allowed(status: 200)),
        MatrixCase("accept-unsafe-byte", "Accept: application/json (v=1) (parentheses)",
            headers: [("Accept", "application/json (v=1)")], preflight: preflightAllowingNoHeader,
            chromium: .blocked("HeaderDisallowedByPreflightResponse", "accept")),
        MatrixCase("accept-too-long", "Accept: 129 bytes", headers: [("Accept", "text/" + String(repeating: "a", count: 124))],
            preflight: preflightAllowingNoHeader, chromium: .blocked("HeaderDisallowedByPreflightResponse", "accept")),
        MatrixCase("content-language-safelisted", "Content-Language: en-US, de",
            headers: [("Content-Language", "en-US, de")], preflight: preflightAllowingNoHeader,
            chromium: .allowed(status: 200)),
        MatrixCase("content-language-unsafe", "Content-Language: en_US (underscore)",
            headers: [("Content-Language", "en_US")], preflight: preflightAllowingNoHeader,
            chromium: .blocked("HeaderDisallowedByPreflightResponse", "content-language")),
        MatrixCase("accept-language-safelisted", "Accept-Language: de-CH;q=0.9, *",
            headers: [("Accept-Language", "de-CH;q=0.9, *")], preflight: preflightAllowingNoHeader,
            chromium: .allowed(status: 200)),
        MatrixCase("range-safelisted", "Range: bytes=0-9", headers: [("Range", "bytes=0-9")],
            preflight: preflightAllowingNoHeader, chromium: .allowed(status: 200)),
        MatrixCase("range-suffix", "Range: bytes=-500 (no start)", headers: [("Range", "bytes=-500")],
            preflight: preflightAllowingNoHeader, chromium: .blocked("HeaderDisallowedByPreflightResponse", "range")),
        MatrixCase("accept-language-unsafe", "Accept-Language: en/US (slash)", headers: [("Accept-Language", "en/US")],
            preflight: preflightAllowingNoHeader,
            chromium: .blocked("HeaderDisallowedByPreflightResponse", "accept-language")),

        // Exposed headers.
        MatrixCase("expose-listed", "Expose-Headers: X-Request-Id", credentials: "include",
            actual: ResponseSpec(200, [(acao, "{origin}"), (acac, "true"), (aceh, "X-Request-Id"), ("X-Request-Id", "r1"), ("X-Other", "o")]),
            chromium: .allowed(status: 200), reads: ["x-request-id"]),
        MatrixCase("expose-unparsable", #"Expose-Headers: X-Request-Id, "X-Other" (not a list)"#,
            actual: ResponseSpec(200, [(acao, "*"), (aceh, #"X-Request-Id, "X-Other""#), ("X-Request-Id", "r1"), ("X-Other", "o")]),
            chromium: .allowed(status: 200), reads: []),
        MatrixCase("expose-wildcard", "Expose-Headers: *, no credentials",
            actual: ResponseSpec(200, [(acao, "*"), (aceh, "*"), ("X-Request-Id", "r1")]),
            chromium: .allowed(status: 200), reads: ["x-request-id"]),
        MatrixCase("expose-wildcard-credentials", "Expose-Headers: *, credentials included", credentials: "include",
            actual: ResponseSpec(200, [(acao, "{origin}"), (acac, "true"), (aceh, "*"), ("X-Request-Id", "r1")]),
            chromium: .allowed(status: 200), reads: []),

        // Redirects on the actual request.
        MatrixCase("redirect-with-acao", "302 with Allow-Origin to the same server",
            actual: ResponseSpec(302, [(acao, "*"), ("Location", "{target}")]), target: allowedToAnyone,
            chromium: .allowed(status: 200)),
        MatrixCase("redirect-without-acao", "302 without Allow-Origin", actual: ResponseSpec(302, [("Location", "{target}")]),
            target: allowedToAnyone, chromium: .blocked("MissingAllowOriginHeader")),
        MatrixCase("redirect-cross-origin-taints", "302 to another origin that allows the page's origin",
            credentials: "include",
            actual: ResponseSpec(302, [(acao, "{origin}"), (acac, "true"), ("Location", "{crossTarget}")]),
            target: allowedWithCredentials, chromium: .blocked("AllowOriginMismatch", "{origin}")),
        MatrixCase("redirect-cross-origin-reflects-null", "302 to another origin that reflects Origin (null)",
            credentials: "include",
            actual: ResponseSpec(302, [(acao, "{origin}"), (acac, "true"), ("Location", "{crossTarget}")]),
            target: ResponseSpec(200, [(acao, "{reflect}"), (acac, "true")]), chromium: .allowed(status: 200)),
        MatrixCase("redirect-userinfo", "302 to a URL with user:password@",
            actual: ResponseSpec(302, [(acao, "*"), ("Location", "{userTarget}")]), target: allowedToAnyone,
            chromium: .blocked("RedirectContainsCredentials")),
        MatrixCase("redirect-data-url", "302 to a data: URL",
            actual: ResponseSpec(302, [(acao, "*"), ("Location", "data:text/plain,hello")]),
            chromium: .networkError("net::ERR_UNSAFE_REDIRECT")),
        MatrixCase("redirect-post-303", "POST answered 303: followed as GET", method: "POST",
            headers: [("Content-Type", "text/plain")], body: "x",
            actual: ResponseSpec(303, [(acao, "*"), ("Location", "{target}")]), target: allowedToAnyone,
            chromium: .allowed(status: 200)),
        MatrixCase("redirect-307-preflighted", "PUT answered 307: the target is preflighted again", method: "PUT",
            credentials: "include", preflight: preflightAllowing(),
            actual: ResponseSpec(307, [(acao, "{origin}"), (acac, "true"), ("Location", "{target}")]),
            target: allowedWithCredentials, chromium: .allowed(status: 200)),
    ]
}
