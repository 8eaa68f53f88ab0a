import CORSBrowserModel
import HTTPTypes
import Testing

@Suite("Actual responses: the CORS check and what a script can read (fetch.bs L1162, L5076)")
struct ResponseEvaluationTests {
    static let apiHeaders: [(String, String)] = [
        ("Access-Control-Allow-Origin", "https://app.example.com"), ("Access-Control-Allow-Credentials", "true"),
        ("Cache-Control", "no-store"), ("Content-Length", "5"), ("X-A", "1"), ("X-B", "2"), ("Set-Cookie", "s=1"),
    ]

    @Test(
        "Exposed header sets (measured on Chromium 156)",
        arguments: [
            // `*` is literal with include; Set-Cookie is never exposed.
            ("x-a, Set-Cookie, *", CredentialsMode.include, ["cache-control", "content-length", "x-a"], false),
            // Without credentials `*` exposes every header but Set-Cookie.
            (
                "x-a, Set-Cookie, *", .sameOrigin,
                [
                    "access-control-allow-credentials", "access-control-allow-origin",
                    "access-control-expose-headers", "cache-control", "content-length", "x-a", "x-b",
                ], true
            ),
            // Empty elements are skipped, names are case-insensitive.
            ("X-A,,x-b ,", .sameOrigin, ["cache-control", "content-length", "x-a", "x-b"], false),
            // A list that does not parse is ignored entirely.
            ("x-a, \"x-b\"", .sameOrigin, ["cache-control", "content-length"], false),
            ("x-a, b c", .include, ["cache-control", "content-length"], false),
        ])
    func exposure(expose: String, credentials: CredentialsMode, readable: [String], all: Bool) throws {
        let plan = try makePlan(credentials: credentials)
        let evaluation = plan.evaluateResponse(response(200, Self.apiHeaders + [("Access-Control-Expose-Headers", expose)]))
        let result = try #require(evaluation.readable)
        #expect(result.readableHeaderNames == readable)
        #expect(result.exposesAllHeaders == all)
        #expect(result.hiddenHeaderNames.contains("set-cookie"))
        #expect(result.readableHeaderFields[.setCookie] == nil)
    }

    @Test("Safelisted response headers are always readable; others are hidden with a hint")
    func safelistedAndHidden() throws {
        let evaluation = try makePlan().evaluateResponse(
            response(
                200,
                [
                    ("Access-Control-Allow-Origin", "*"), ("Content-Type", "application/json"), ("Expires", "0"),
                    ("Last-Modified", "x"), ("Pragma", "no-cache"), ("Content-Language", "en"), ("X-Request-Id", "42"),
                    ("Date", "today"),
                ]))
        let result = try #require(evaluation.readable)
        #expect(result.readableHeaderNames == ["content-language", "content-type", "expires", "last-modified", "pragma"])
        #expect(result.hiddenHeaderNames == ["access-control-allow-origin", "date", "x-request-id"])
        #expect(evaluation.warnings.map(\.message) == ["The script cannot read x-request-id: add it to Access-Control-Expose-Headers."])
        #expect(RequestPlan.safelistedResponseHeaderNames.count == 7)
    }

    @Test("Warnings for a wildcard with credentials, Set-Cookie in the list, and an unparsable list")
    func exposureWarnings() throws {
        let include = try makePlan(credentials: .include).evaluateResponse(
            response(200, Self.apiHeaders + [("Access-Control-Expose-Headers", "*, Set-Cookie, X-A, X-B")]))
        #expect(include.warnings.map(\.code) == [.wildcardIgnoredWithCredentials, .headerNotExposed])
        let broken = try makePlan().evaluateResponse(
            response(200, [("Access-Control-Allow-Origin", "*"), ("Access-Control-Expose-Headers", "a b")]))
        #expect(broken.warnings.map(\.code) == [.unparsableHeaderList])
    }

    @Test("Same-origin responses are not CORS-checked and expose everything but Set-Cookie")
    func sameOriginResponse() throws {
        let evaluation = try makePlan(url: "https://app.example.com/api").evaluateResponse(
            response(200, [("X-A", "1"), ("Set-Cookie", "s=1")]))
        let result = try #require(evaluation.readable)
        #expect(result.readableHeaderNames == ["x-a"])
        #expect(!result.exposesAllHeaders)
    }

    @Test("Errors without CORS headers look like CORS errors (the classic 500)")
    func errorWithoutCORSHeaders() throws {
        let evaluation = try makePlan(credentials: .include).evaluateResponse(response(500, [("Content-Type", "text/plain")]))
        #expect(evaluation.failure == CORSFailure(.missingAllowOriginHeader))
        #expect(evaluation.failure?.explanation.contains("error response") == true)
    }

    @Test("A redirect response is CORS-checked too (L5884)")
    func redirectIsChecked() throws {
        let evaluation = try makePlan().evaluateResponse(response(301, [("Location", "https://api.example.com/v2/me")]))
        #expect(evaluation.failure?.reason == .missingAllowOriginHeader)
    }
}
