/// Header name classes of the Fetch standard that a policy is checked against.
enum FetchHeaderRules {
    /// Forbidden request-header names (Fetch §2.2.2 "forbidden request-header"): a page can
    /// never set them, so listing one in `allowHeaders` is always a mistake.
    static let forbiddenRequestHeaderNames: Set<String> = [
        "accept-charset", "accept-encoding", "access-control-request-headers",
        "access-control-request-method", "access-control-request-private-network", "connection",
        "content-length", "cookie", "cookie2", "date", "dnt", "expect", "host", "keep-alive",
        "origin", "referer", "set-cookie", "te", "trailer", "transfer-encoding", "upgrade", "via",
    ]

    /// Whether a lowercased request header name is forbidden, including the `proxy-` and
    /// `sec-` prefixes.
    static func isForbiddenRequestHeader(_ lowercasedName: String) -> Bool {
        forbiddenRequestHeaderNames.contains(lowercasedName)
            || lowercasedName.hasPrefix("proxy-") || lowercasedName.hasPrefix("sec-")
    }

    /// CORS-safelisted response-header names (Fetch "CORS-safelisted response-header name"):
    /// a script can always read them, so exposing one is redundant.
    static let safelistedResponseHeaderNames: Set<String> = [
        "cache-control", "content-language", "content-length", "content-type", "expires",
        "last-modified", "pragma",
    ]

    /// Response headers that a browser never lets a script read, whatever
    /// `Access-Control-Expose-Headers` says (Fetch "forbidden response-header name").
    static let forbiddenResponseHeaderNames: Set<String> = ["set-cookie", "set-cookie2"]
}
