public import HTTPTypes

extension RequestPlan {
    /// Follows a redirect response to the actual request as the browser does (fetch.bs L5963
    /// "HTTP-redirect fetch"; Chromium `CorsURLLoader::OnReceiveRedirect` and
    /// `net::RedirectUtil`), in this order:
    ///
    /// 1. the CORS check, for a cross-origin request: redirects are CORS-checked like any
    ///    response (fetch.bs L5884), so a 301 without `Access-Control-Allow-Origin` fails;
    /// 2. the `Location`, resolved against the current URL, must be a valid http(s) URL;
    /// 3. at most 20 redirects;
    /// 4. a `Location` with a user name or password fails with RedirectContainsCredentials when
    ///    the request is cross-origin or tainted, or the location is not the page's origin;
    /// 5. 301/302 on POST and 303 on anything but GET/HEAD become GET, dropping the body and
    ///    `Content-Encoding`, `-Language`, `-Location`, `-Type`;
    /// 6. `Authorization` is dropped when the hop changes origin (fetch.bs L6031);
    /// 7. the next hop is planned again: it may need a preflight, and its origin may be tainted.
    public func followRedirect(_ response: HTTPResponse) -> RedirectOutcome {
        guard RedirectRules.isRedirect(response) else { return .notARedirect }
        let fields = response.headerFields

        if request.isCrossOrigin,
            let failure = CORSCheck.evaluate(
                fields, serializedOrigin: request.serializedOrigin, credentials: request.credentials)
        {
            return .blocked(failure, consoleMessage: failure.consoleMessage(for: request))
        }

        let locationValue = fields.combinedValue(of: .location) ?? ""
        guard let location = WebURL(locationValue, relativeTo: request.url) else {
            if let scheme = URLParser.scheme(of: locationValue), scheme != "http", scheme != "https" {
                return .networkError(
                    NetworkError(
                        .unsafeRedirect, url: locationValue,
                        explanation: "A fetch may only be redirected to http or https URLs, not to '\(scheme):'."))
            }
            return .networkError(
                NetworkError(
                    .invalidRedirect, url: locationValue,
                    explanation: "The Location header is not a valid URL."))
        }

        guard request.redirectCount < RedirectRules.maximumRedirects else {
            return .networkError(
                NetworkError(
                    .tooManyRedirects, url: request.url.serialized,
                    explanation: "The request was redirected 20 times already; browsers stop there."))
        }

        // Chromium `CheckRedirectLocation`: the spec's two conditions (request origin not
        // same origin with the location, or tainted; or the CORS flag is set).
        if location.hasCredentials,
            request.isOriginTainted || request.isCrossOrigin || !request.origin.isSameOrigin(as: location.origin)
        {
            let failure = CORSFailure(.redirectContainsCredentials, offendingValue: location.serialized)
            return .blocked(failure, consoleMessage: failure.consoleMessage(for: request))
        }

        var method = request.method
        var removedNames: [String] = []
        let status = response.status.code
        let changesToGET = RedirectRules.rewritesToGET(status: status, method: method.rawValue)
        if changesToGET {
            method = .get
        }
        let crossesOrigin = !request.url.origin.isSameOrigin(as: location.origin)
        let removed = { (name: String) -> Bool in
            (changesToGET && RedirectRules.requestBodyHeaderNames.contains(name))
                || (crossesOrigin && name == "authorization")
        }
        var nextFields = HTTPFields()
        for field in request.headerFields {
            if removed(field.name.canonicalName) {
                if !removedNames.contains(field.name.canonicalName) {
                    removedNames.append(field.name.canonicalName)
                }
            } else {
                nextFields.append(field)
            }
        }

        let next = PageRequest(
            validatedURL: location, origin: request.origin, method: method, headerFields: nextFields,
            credentials: request.credentials, initiator: request.initiator, forcesPreflight: request.forcesPreflight,
            redirectChain: request.redirectChain + [request.url])
        return .follow(
            RedirectHop(
                location: location, nextRequest: next, nextPlan: RequestPlan(next), methodChangedToGET: changesToGET,
                removedHeaderNames: removedNames, originBecameNull: next.isOriginTainted && !request.isOriginTainted))
    }
}
