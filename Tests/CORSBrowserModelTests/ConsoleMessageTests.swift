import CORSBrowserModel
import HTTPTypes
import Testing

/// The console lines Chromium prints (cors_error_string.cc `GetErrorStringForConsoleMessage`).
/// The first group was captured verbatim from Debian's Chromium 156.0.8078.108 (headless shell,
/// page on http://127.0.0.1:47101, API on http://127.0.0.1:47102).
@Suite("Chromium console messages, byte for byte")
struct ConsoleMessageTests {
    static let page = "http://127.0.0.1:47101"

    static func measuredPlan(_ path: String, method: String = "GET", credentials: CredentialsMode = .sameOrigin, initiator: RequestInitiator = .fetch) throws -> RequestPlan {
        try makePlan(
            url: "http://127.0.0.1:47102/x/\(path)", origin: page, method: method, credentials: credentials,
            initiator: initiator)
    }

    @Test("Measured on Chromium 156: actual-response errors")
    func measuredActualResponseMessages() throws {
        let missing = try Self.measuredPlan("noacao").evaluateResponse(response())
        #expect(
            missing.consoleMessage
                == "Access to fetch at 'http://127.0.0.1:47102/x/noacao' from origin 'http://127.0.0.1:47101' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."
        )

        let mismatch = try Self.measuredPlan("mismatch").evaluateResponse(
            response(200, [("Access-Control-Allow-Origin", "http://evil.example")]))
        #expect(
            mismatch.consoleMessage
                == "Access to fetch at 'http://127.0.0.1:47102/x/mismatch' from origin 'http://127.0.0.1:47101' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'http://evil.example' that is not equal to the supplied origin. Have the server send the header with a valid value."
        )

        let multiple = try Self.measuredPlan("multi").evaluateResponse(
            response(200, [("Access-Control-Allow-Origin", Self.page), ("Access-Control-Allow-Origin", Self.page)]))
        #expect(
            multiple.consoleMessage
                == "Access to fetch at 'http://127.0.0.1:47102/x/multi' from origin 'http://127.0.0.1:47101' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header contains multiple values 'http://127.0.0.1:47101, http://127.0.0.1:47101', but only one is allowed. Have the server send the header with a valid value."
        )

        let invalid = try Self.measuredPlan("invalid").evaluateResponse(
            response(200, [("Access-Control-Allow-Origin", "foo")]))
        #expect(
            invalid.consoleMessage
                == "Access to fetch at 'http://127.0.0.1:47102/x/invalid' from origin 'http://127.0.0.1:47101' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header contains the invalid value 'foo'. Have the server send the header with a valid value."
        )

        let xhrMismatch = try Self.measuredPlan("mismatch", initiator: .xmlHttpRequest).evaluateResponse(
            response(200, [("Access-Control-Allow-Origin", "http://evil.example")]))
        #expect(
            xhrMismatch.consoleMessage
                == "Access to XMLHttpRequest at 'http://127.0.0.1:47102/x/mismatch' from origin 'http://127.0.0.1:47101' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'http://evil.example' that is not equal to the supplied origin."
        )

        let wildcard = try Self.measuredPlan("star", credentials: .include, initiator: .xmlHttpRequest).evaluateResponse(
            response(200, [("Access-Control-Allow-Origin", "*")]))
        #expect(
            wildcard.consoleMessage
                == "Access to XMLHttpRequest at 'http://127.0.0.1:47102/x/star' from origin 'http://127.0.0.1:47101' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'. The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute."
        )

        let credentials = try Self.measuredPlan("accTrue", credentials: .include).evaluateResponse(
            response(200, [("Access-Control-Allow-Origin", Self.page), ("Access-Control-Allow-Credentials", "True")]))
        #expect(
            credentials.consoleMessage
                == "Access to fetch at 'http://127.0.0.1:47102/x/accTrue' from origin 'http://127.0.0.1:47101' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Credentials' header in the response is 'True' which must be 'true' when the request's credentials mode is 'include'."
        )

        let absentCredentials = try Self.measuredPlan("accNone", credentials: .include).evaluateResponse(
            response(200, [("Access-Control-Allow-Origin", Self.page)]))
        #expect(
            absentCredentials.consoleMessage
                == "Access to fetch at 'http://127.0.0.1:47102/x/accNone' from origin 'http://127.0.0.1:47101' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'."
        )
    }

    @Test("Measured on Chromium 156: preflight errors (prefix only for the Preflight* reasons)")
    func measuredPreflightMessages() throws {
        let put = try Self.measuredPlan("pf500", method: "PUT")
        #expect(
            put.evaluatePreflight(response(500)).consoleMessage
                == "Access to fetch at 'http://127.0.0.1:47102/x/pf500' from origin 'http://127.0.0.1:47101' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource."
        )
        #expect(
            put.evaluatePreflight(response(500, [("Access-Control-Allow-Origin", Self.page)])).consoleMessage
                == "Access to fetch at 'http://127.0.0.1:47102/x/pf500' from origin 'http://127.0.0.1:47101' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: It does not have HTTP ok status."
        )
        #expect(
            put.evaluatePreflight(
                response(302, [("Location", "http://127.0.0.1:47102/x/ok"), ("Access-Control-Allow-Origin", Self.page)])
            ).consoleMessage
                == "Access to fetch at 'http://127.0.0.1:47102/x/pf500' from origin 'http://127.0.0.1:47101' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: Redirect is not allowed for a preflight request."
        )
        #expect(
            put.evaluatePreflight(
                response(204, [("Access-Control-Allow-Origin", Self.page), ("Access-Control-Allow-Methods", "put")])
            ).consoleMessage
                == "Access to fetch at 'http://127.0.0.1:47102/x/pf500' from origin 'http://127.0.0.1:47101' has been blocked by CORS policy: Method PUT is not allowed by Access-Control-Allow-Methods in preflight response."
        )
        #expect(
            put.evaluatePreflight(
                response(204, [("Access-Control-Allow-Origin", Self.page), ("Access-Control-Allow-Methods", "PUT, \"x\"")])
            ).consoleMessage
                == "Access to fetch at 'http://127.0.0.1:47102/x/pf500' from origin 'http://127.0.0.1:47101' has been blocked by CORS policy: Cannot parse Access-Control-Allow-Methods response header field in preflight response."
        )

        let headers = try makePlan(
            url: "http://127.0.0.1:47102/x/hdrMissing", origin: Self.page, method: "PUT",
            headers: [("X-B", "1"), ("X-A", "2"), ("Content-Type", "application/json"), ("Authorization", "x")])
        #expect(headers.preflightRequest?.headerFields[.accessControlRequestHeaders] == "authorization,content-type,x-a,x-b")
        #expect(
            headers.evaluatePreflight(
                response(204, [("Access-Control-Allow-Origin", Self.page), ("Access-Control-Allow-Methods", "PUT")])
            ).consoleMessage
                == "Access to fetch at 'http://127.0.0.1:47102/x/hdrMissing' from origin 'http://127.0.0.1:47101' has been blocked by CORS policy: Request header field authorization is not allowed by Access-Control-Allow-Headers in preflight response."
        )
    }

    @Test("Redirected requests name both URLs; the page origin is printed even when tainted")
    func redirectedMessage() throws {
        let plan = try makePlan(url: "http://127.0.0.1:47102/x/redirToMismatch", origin: Self.page)
        guard
            case .follow(let hop) = plan.followRedirect(
                response(302, [("Location", "http://localhost:47102/x/mismatch"), ("Access-Control-Allow-Origin", "*")]))
        else {
            Issue.record("expected the redirect to be followed")
            return
        }
        #expect(hop.nextPlan.serializedOrigin == "null")
        let evaluation = hop.nextPlan.evaluateResponse(response(200, [("Access-Control-Allow-Origin", "http://evil.example")]))
        #expect(
            evaluation.consoleMessage
                == "Access to fetch at 'http://localhost:47102/x/mismatch' (redirected from 'http://127.0.0.1:47102/x/redirToMismatch') from origin 'http://127.0.0.1:47101' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'http://evil.example' that is not equal to the supplied origin. Have the server send the header with a valid value."
        )
    }

    @Test("Redirect with credentials: Chromium prints empty quotes (measured) while failedParameter keeps the URL")
    func redirectCredentialsMessage() throws {
        let plan = try Self.measuredPlan("redirUserinfo")
        guard
            case .blocked(let failure, let console) = plan.followRedirect(
                response(302, [("Location", "http://u:p@localhost:47102/x/star"), ("Access-Control-Allow-Origin", "*")]))
        else {
            Issue.record("expected RedirectContainsCredentials")
            return
        }
        #expect(failure.reason == .redirectContainsCredentials)
        #expect(failure.failedParameter == nil)
        #expect(failure.offendingValue == "http://u:p@localhost:47102/x/star")
        #expect(
            console
                == "Access to fetch at 'http://127.0.0.1:47102/x/redirUserinfo' from origin 'http://127.0.0.1:47101' has been blocked by CORS policy: Redirect location '' contains a username and password, which is disallowed for cross-origin requests."
        )
    }

    @Test("Non-printable and non-ASCII bytes in the value are escaped as \\uXXXX (EncodeHint)")
    func encodedHint() throws {
        let evaluation = try makePlan().evaluateResponse(response(200, [("Access-Control-Allow-Origin", "https://\u{E9}x.example")]))
        #expect(
            evaluation.consoleMessage
                == "Access to fetch at 'https://api.example.com/me' from origin 'https://app.example.com' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'https://\\u00C3\\u00A9x.example' that is not equal to the supplied origin. Have the server send the header with a valid value."
        )
    }

    @Test("The standalone API builds the same lines")
    func standaloneConsoleMessage() throws {
        let url = try #require(WebURL("https://api.example.com/me"))
        let origin = try #require(WebOrigin("https://app.example.com"))
        #expect(
            CORSFailure(.preflightWildcardOriginNotAllowed).consoleMessage(url: url, origin: origin, initiator: .fetch)
                == "Access to fetch at 'https://api.example.com/me' from origin 'https://app.example.com' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'."
        )
        #expect(
            CORSFailure(.headerDisallowedByPreflightResponse, failedParameter: "x-api-key").consoleMessage(
                url: url, origin: origin, initiator: .xmlHttpRequest)
                == "Access to XMLHttpRequest at 'https://api.example.com/me' from origin 'https://app.example.com' has been blocked by CORS policy: Request header field x-api-key is not allowed by Access-Control-Allow-Headers in preflight response."
        )
        #expect(
            CORSFailure(.invalidAllowHeadersPreflightResponse).consoleMessage(url: url, origin: origin, initiator: .fetch)
                == "Access to fetch at 'https://api.example.com/me' from origin 'https://app.example.com' has been blocked by CORS policy: Cannot parse Access-Control-Allow-Headers response header field in preflight response."
        )
    }
}
