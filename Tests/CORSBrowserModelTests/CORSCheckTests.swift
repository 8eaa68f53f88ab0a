import CORSBrowserModel
import HTTPTypes
import Testing

/// One row of the CORS-check table (fetch.bs L7267; Chromium `CheckAccess`, reference 1.4).
struct CORSCheckCase: Sendable, CustomTestStringConvertible {
    let name: String
    let headers: [(String, String)]
    var credentials: CredentialsMode = .sameOrigin
    var origin = "https://app.example.com"
    let reason: String?
    var failedParameter: String? = nil

    var testDescription: String { name }
}

@Suite("The CORS check and Chromium's error mapping")
struct CORSCheckTests {
    static let cases: [CORSCheckCase] = [
        CORSCheckCase(name: "absent → MissingAllowOriginHeader", headers: [], reason: "MissingAllowOriginHeader"),
        CORSCheckCase(name: "* without credentials passes", headers: [("Access-Control-Allow-Origin", "*")], reason: nil),
        CORSCheckCase(
            name: "* with include → WildcardOriginNotAllowed", headers: [("Access-Control-Allow-Origin", "*")],
            credentials: .include, reason: "WildcardOriginNotAllowed"),
        CORSCheckCase(
            name: "* with include fails even with ACAC true",
            headers: [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Credentials", "true")],
            credentials: .include, reason: "WildcardOriginNotAllowed"),
        CORSCheckCase(
            name: "exact origin passes", headers: [("Access-Control-Allow-Origin", "https://app.example.com")], reason: nil),
        CORSCheckCase(
            name: "the wire parser trims spaces around the value",
            headers: [("Access-Control-Allow-Origin", " https://app.example.com ")], reason: nil),
        CORSCheckCase(
            name: "misuse: trailing slash → AllowOriginMismatch",
            headers: [("Access-Control-Allow-Origin", "https://app.example.com/")], reason: "AllowOriginMismatch",
            failedParameter: "https://app.example.com/"),
        CORSCheckCase(
            name: "case-sensitive comparison → AllowOriginMismatch",
            headers: [("Access-Control-Allow-Origin", "HTTPS://APP.EXAMPLE.COM")], reason: "AllowOriginMismatch",
            failedParameter: "HTTPS://APP.EXAMPLE.COM"),
        CORSCheckCase(
            name: "explicit default port → AllowOriginMismatch",
            headers: [("Access-Control-Allow-Origin", "https://app.example.com:443")], reason: "AllowOriginMismatch",
            failedParameter: "https://app.example.com:443"),
        CORSCheckCase(
            name: "another origin → AllowOriginMismatch",
            headers: [("Access-Control-Allow-Origin", "https://evil.example")], reason: "AllowOriginMismatch",
            failedParameter: "https://evil.example"),
        CORSCheckCase(
            name: "duplicate lines are joined with ', ' → MultipleAllowOriginValues",
            headers: [
                ("Access-Control-Allow-Origin", "https://app.example.com"),
                ("Access-Control-Allow-Origin", "https://app.example.com"),
            ], reason: "MultipleAllowOriginValues", failedParameter: "https://app.example.com, https://app.example.com"),
        CORSCheckCase(
            name: "space-separated list → MultipleAllowOriginValues",
            headers: [("Access-Control-Allow-Origin", "https://app.example.com https://b.example")],
            reason: "MultipleAllowOriginValues", failedParameter: "https://app.example.com https://b.example"),
        CORSCheckCase(
            name: "null for a tuple origin → AllowOriginMismatch", headers: [("Access-Control-Allow-Origin", "null")],
            reason: "AllowOriginMismatch", failedParameter: "null"),
        CORSCheckCase(
            name: "not a URL → InvalidAllowOriginValue", headers: [("Access-Control-Allow-Origin", "foo")],
            reason: "InvalidAllowOriginValue", failedParameter: "foo"),
        CORSCheckCase(
            name: "a pattern is not a URL → InvalidAllowOriginValue",
            headers: [("Access-Control-Allow-Origin", "*.example.com")], reason: "InvalidAllowOriginValue",
            failedParameter: "*.example.com"),
        CORSCheckCase(
            name: "null matches a null origin", headers: [("Access-Control-Allow-Origin", "null")], origin: "null",
            reason: nil),
        CORSCheckCase(
            name: "misuse: ACAC True → InvalidAllowCredentials",
            headers: [("Access-Control-Allow-Origin", "https://app.example.com"), ("Access-Control-Allow-Credentials", "True")],
            credentials: .include, reason: "InvalidAllowCredentials", failedParameter: "True"),
        CORSCheckCase(
            name: "ACAC absent with include → InvalidAllowCredentials",
            headers: [("Access-Control-Allow-Origin", "https://app.example.com")], credentials: .include,
            reason: "InvalidAllowCredentials"),
        CORSCheckCase(
            name: "ACAC true with include passes",
            headers: [("Access-Control-Allow-Origin", "https://app.example.com"), ("Access-Control-Allow-Credentials", "true")],
            credentials: .include, reason: nil),
        CORSCheckCase(
            name: "ACAC is ignored without include",
            headers: [("Access-Control-Allow-Origin", "https://app.example.com"), ("Access-Control-Allow-Credentials", "nope")],
            credentials: .omit, reason: nil),
    ]

    @Test("CORS check table", arguments: cases)
    func corsCheck(_ row: CORSCheckCase) {
        let failure = CORSCheck.evaluate(fields(row.headers), serializedOrigin: row.origin, credentials: row.credentials)
        #expect(failure?.reason.rawValue == row.reason)
        #expect(failure?.failedParameter == row.failedParameter)
    }

    @Test("Reason raw values are Chromium's CorsError names")
    func reasonNames() {
        #expect(CORSFailure.Reason.allCases.count == 19)
        #expect(CORSFailure.Reason.preflightMissingAllowOriginHeader.rawValue == "PreflightMissingAllowOriginHeader")
        #expect(CORSFailure.Reason.headerDisallowedByPreflightResponse.rawValue == "HeaderDisallowedByPreflightResponse")
        #expect(CORSFailure.Reason.redirectContainsCredentials.rawValue == "RedirectContainsCredentials")
        #expect(
            CORSFailure.Reason.allCases.filter(\.hasPreflightPrefix).map(\.rawValue) == [
                "PreflightMissingAllowOriginHeader", "PreflightWildcardOriginNotAllowed",
                "PreflightMultipleAllowOriginValues", "PreflightInvalidAllowOriginValue", "PreflightAllowOriginMismatch",
                "PreflightInvalidAllowCredentials", "PreflightInvalidStatus", "PreflightDisallowedRedirect",
            ])
    }
}
