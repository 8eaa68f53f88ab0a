/// What the browser does with a response to the actual request that might be a redirect.
public enum RedirectOutcome: Sendable {
    /// The response is not a redirect (no redirect status, or no `Location`): the script gets it.
    case notARedirect
    /// The browser follows the redirect with the next hop's request.
    case follow(RedirectHop)
    /// The redirect fails a CORS rule; the console shows `consoleMessage`.
    case blocked(CORSFailure, consoleMessage: String)
    /// The redirect fails as a plain network error.
    case networkError(NetworkError)
}

/// The request the browser makes after following one redirect.
public struct RedirectHop: Sendable {
    /// The resolved `Location`.
    public let location: WebURL
    /// The next request: new URL, maybe a new method and fewer headers, longer redirect chain.
    public let nextRequest: PageRequest
    /// The plan for the next request. It may need a preflight the first request did not, and
    /// its `Origin` may have become `null`.
    public let nextPlan: RequestPlan
    /// Whether the method became GET (and the body was dropped).
    public let methodChangedToGET: Bool
    /// The lowercased names of the script's headers the browser removed on this hop.
    public let removedHeaderNames: [String]
    /// Whether this hop tainted the origin, so `Origin` is `null` from now on.
    public let originBecameNull: Bool

    /// Creates a hop.
    public init(
        location: WebURL, nextRequest: PageRequest, nextPlan: RequestPlan, methodChangedToGET: Bool,
        removedHeaderNames: [String], originBecameNull: Bool
    ) {
        self.location = location
        self.nextRequest = nextRequest
        self.nextPlan = nextPlan
        self.methodChangedToGET = methodChangedToGET
        self.removedHeaderNames = removedHeaderNames
        self.originBecameNull = originBecameNull
    }
}
