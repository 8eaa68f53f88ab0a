import CORSBrowserModel
import HTTPTypes
import Testing

@Suite("Redirects (fetch.bs L5963 HTTP-redirect fetch; reference 1.5)")
struct RedirectTests {
    /// Follows `response` and returns the hop, recording an issue otherwise.
    func hop(_ plan: RequestPlan, _ response: HTTPResponse, sourceLocation: SourceLocation = #_sourceLocation) -> RedirectHop? {
        guard case .follow(let hop) = plan.followRedirect(response) else {
            Issue.record("expected the redirect to be followed", sourceLocation: sourceLocation)
            return nil
        }
        return hop
    }

    @Test("303 on PUT becomes GET: body headers and, across origins, Authorization are dropped; the origin is tainted (measured)")
    func seeOtherAcrossOrigins() throws {
        let plan = try makePlan(
            method: "PUT",
            headers: [
                ("Authorization", "Bearer t"), ("Content-Type", "application/json"), ("Content-Language", "de"),
                ("X-Custom", "1"),
            ])
        let next = try #require(
            hop(plan, response(303, [("Location", "https://cdn.example.net/done"), ("Access-Control-Allow-Origin", "*")])))
        #expect(next.methodChangedToGET)
        #expect(next.nextRequest.method == .get)
        #expect(next.removedHeaderNames == ["authorization", "content-type", "content-language"])
        #expect(next.originBecameNull)
        #expect(next.nextRequest.isOriginTainted)
        #expect(next.nextRequest.redirectCount == 1)
        #expect(next.nextRequest.initialURL.serialized == "https://api.example.com/me")
        // X-Custom survives, so the next hop needs its own preflight, from origin null.
        let preflight = try #require(next.nextPlan.preflightRequest)
        #expect(
            pairs(preflight.headerFields) == [
                "Accept: */*", "Access-Control-Request-Method: GET", "Access-Control-Request-Headers: x-custom",
                "Origin: null", "Sec-Fetch-Mode: cors",
            ])
        #expect(next.nextPlan.warnings.contains { $0.code == .originTainted })
    }

    @Test(
        "Method rewriting: 301/302 on POST and 303 on non-GET/HEAD become GET; 307/308 keep the method",
        arguments: [
            (301, "POST", "GET"), (302, "POST", "GET"), (303, "POST", "GET"), (303, "PUT", "GET"), (303, "DELETE", "GET"),
            (303, "HEAD", "HEAD"), (303, "GET", "GET"), (301, "PUT", "PUT"), (302, "DELETE", "DELETE"),
            (307, "POST", "POST"), (308, "POST", "POST"),
        ])
    func methodRewriting(status: Int, method: String, expected: String) throws {
        let plan = try makePlan(method: method, headers: [("Content-Type", "text/plain")])
        let next = try #require(
            hop(plan, response(status, [("Location", "/v2/me"), ("Access-Control-Allow-Origin", "*")])))
        #expect(next.nextRequest.method.rawValue == expected)
        #expect(next.nextRequest.url.serialized == "https://api.example.com/v2/me")
        #expect(next.removedHeaderNames == (expected == method ? [] : ["content-type"]))
    }

    @Test("Same-origin hops keep Authorization and do not taint")
    func sameOriginHop() throws {
        let plan = try makePlan(method: "PUT", headers: [("Authorization", "Bearer t")])
        let next = try #require(
            hop(plan, response(307, [("Location", "https://api.example.com/v2/me"), ("Access-Control-Allow-Origin", "*")])))
        #expect(next.removedHeaderNames.isEmpty)
        #expect(!next.originBecameNull)
        #expect(next.nextPlan.serializedOrigin == "https://app.example.com")
        #expect(next.nextPlan.preflightRequest?.headerFields[.accessControlRequestHeaders] == "authorization")
    }

    @Test("Taint (L2360): only a hop between two origins, neither being the page's, taints")
    func taintRules() throws {
        // app → app/old → api: the first hop is same-origin and the second starts at the page's origin.
        let sameOriginStart = try makePlan(url: "https://app.example.com/old")
        let first = try #require(hop(sameOriginStart, response(302, [("Location", "https://api.example.com/me")])))
        #expect(!first.nextRequest.isOriginTainted)
        #expect(first.nextPlan.isCrossOrigin)
        #expect(first.nextPlan.actualRequest.headerFields[.origin] == "https://app.example.com")
        // api → cdn: neither is the page's origin.
        let second = try #require(
            hop(first.nextPlan, response(302, [("Location", "https://cdn.example.net/x"), ("Access-Control-Allow-Origin", "*")])))
        #expect(second.nextRequest.isOriginTainted)
        #expect(second.nextPlan.actualRequest.headerFields[.origin] == "null")
        // Back to the page's own origin: still CORS (tainting is sticky) and still null.
        let third = try #require(
            hop(second.nextPlan, response(302, [("Location", "https://app.example.com/end"), ("Access-Control-Allow-Origin", "*")])))
        #expect(third.nextPlan.isCrossOrigin)
        #expect(third.nextPlan.serializedOrigin == "null")
        #expect(third.nextRequest.redirectChain.map(\.serialized) == [
            "https://app.example.com/old", "https://api.example.com/me", "https://cdn.example.net/x",
        ])
    }

    @Test("The CORS check runs on the redirect response itself (measured)")
    func redirectWithoutCORSHeaders() throws {
        let outcome = try makePlan().followRedirect(response(302, [("Location", "https://cdn.example.net/x")]))
        guard case .blocked(let failure, let console) = outcome else {
            Issue.record("expected a CORS failure")
            return
        }
        #expect(failure.reason == .missingAllowOriginHeader)
        #expect(
            console
                == "Access to fetch at 'https://api.example.com/me' from origin 'https://app.example.com' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."
        )
    }

    @Test("A Location with userinfo on a cross-origin request is RedirectContainsCredentials")
    func userinfo() throws {
        let outcome = try makePlan().followRedirect(
            response(302, [("Location", "https://u:p@cdn.example.net/x"), ("Access-Control-Allow-Origin", "*")]))
        guard case .blocked(let failure, _) = outcome else {
            Issue.record("expected RedirectContainsCredentials")
            return
        }
        #expect(failure == CORSFailure(.redirectContainsCredentials, offendingValue: "https://u:p@cdn.example.net/x"))
        // Same-origin, untainted, never cross-origin: allowed.
        let sameOrigin = try makePlan(url: "https://app.example.com/a").followRedirect(
            response(302, [("Location", "https://u:p@app.example.com/b")]))
        guard case .follow = sameOrigin else {
            Issue.record("expected the same-origin redirect to be followed")
            return
        }
    }

    @Test("At most 20 redirects, then ERR_TOO_MANY_REDIRECTS (measured: 21 requests)")
    func redirectLimit() throws {
        var current = try makePlan()
        let loop = response(302, [("Location", "https://api.example.com/me"), ("Access-Control-Allow-Origin", "*")])
        for _ in 0..<20 {
            current = try #require(hop(current, loop)).nextPlan
        }
        #expect(current.request.redirectCount == 20)
        guard case .networkError(let error) = current.followRedirect(loop) else {
            Issue.record("expected ERR_TOO_MANY_REDIRECTS")
            return
        }
        #expect(error.code.rawValue == "ERR_TOO_MANY_REDIRECTS")
        #expect(NetworkError.scriptError == "TypeError: Failed to fetch")
    }

    @Test(
        "Bad Locations are network errors",
        arguments: [
            ("https://", "ERR_INVALID_REDIRECT"), ("https://exa mple.com/", "ERR_INVALID_REDIRECT"),
            ("data:text/plain,hi", "ERR_UNSAFE_REDIRECT"), ("ftp://files.example/", "ERR_UNSAFE_REDIRECT"),
        ])
    func badLocation(location: String, code: String) throws {
        let outcome = try makePlan().followRedirect(
            response(302, [("Location", location), ("Access-Control-Allow-Origin", "*")]))
        guard case .networkError(let error) = outcome else {
            Issue.record("expected a network error")
            return
        }
        #expect(error.code.rawValue == code)
    }

    @Test("Not redirects: a 3xx without Location, 300 and 304", arguments: [(302, false), (300, true), (304, true), (200, true)])
    func notRedirect(status: Int, withLocation: Bool) throws {
        let headers = withLocation ? [("Location", "/x")] : []
        guard case .notARedirect = try makePlan().followRedirect(response(status, headers)) else {
            Issue.record("expected notARedirect")
            return
        }
    }
}
