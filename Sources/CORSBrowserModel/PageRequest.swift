public import HTTPTypes

/// What a page's script asks the browser to fetch, after the browser's own input checks.
///
/// It also carries the redirect history, because a request that has been redirected is
/// judged differently: its `Origin` may have become `null` (taint), and the CORS check keeps
/// applying even if a later hop returns to the page's own origin. Use
/// ``RequestPlan/followRedirect(_:)`` to get the request of the next hop.
public struct PageRequest: Sendable, Hashable {
    /// The URL being fetched now (after any redirects).
    public let url: WebURL
    /// The origin of the page that runs the script. It never changes; a redirect taint only
    /// changes how it is serialized (see ``serializedOrigin``).
    public let origin: WebOrigin
    /// The method after "normalize a method" (fetch.bs L587): `post` became `POST`, `patch`
    /// stayed `patch`.
    public let method: HTTPRequest.Method
    /// The header fields the script set, as it set them (forbidden ones included: the plan
    /// reports them as dropped).
    public let headerFields: HTTPFields
    /// The credentials mode.
    public let credentials: CredentialsMode
    /// The API that made the request; it only affects console message wording.
    public let initiator: RequestInitiator
    /// The "use-CORS-preflight flag" (fetch.bs L5030): set for an `XMLHttpRequest` with upload
    /// event listeners, which always gets a preflight when cross-origin.
    public let forcesPreflight: Bool
    /// The URLs fetched before ``url``, oldest first; empty before any redirect.
    public let redirectChain: [WebURL]

    /// Creates a request from typed values.
    ///
    /// - Throws: ``PageRequestError/forbiddenMethod(_:)`` for `CONNECT`, `TRACE` and `TRACK`,
    ///   which `fetch()` and `XMLHttpRequest` refuse.
    public init(
        url: WebURL,
        origin: WebOrigin,
        method: HTTPRequest.Method = .get,
        headerFields: HTTPFields = [:],
        credentials: CredentialsMode = .sameOrigin,
        initiator: RequestInitiator = .fetch,
        forcesPreflight: Bool = false
    ) throws(PageRequestError) {
        guard !RequestMethodRules.isForbidden(method.rawValue) else {
            throw .forbiddenMethod(method.rawValue)
        }
        self.init(
            validatedURL: url, origin: origin,
            method: HTTPRequest.Method(RequestMethodRules.normalize(method.rawValue)) ?? method,
            headerFields: headerFields, credentials: credentials, initiator: initiator,
            forcesPreflight: forcesPreflight, redirectChain: [])
    }

    /// Creates a request from the strings a script would use:
    /// `fetch(url, {method, headers, credentials})` on a page at `origin`.
    ///
    /// - Parameters:
    ///   - url: an absolute `http:` or `https:` URL.
    ///   - origin: the page's serialized origin (`https://app.example.com`), a URL of the page,
    ///     or `null`.
    ///   - method: the method exactly as the script wrote it.
    ///   - headerFields: the headers the script sets.
    ///   - credentials: the credentials mode (`credentials` of `fetch`).
    ///   - initiator: the API that makes the request; it only affects console message wording.
    ///   - forcesPreflight: the "use-CORS-preflight flag", set for an `XMLHttpRequest` with
    ///     upload event listeners.
    /// - Throws: ``PageRequestError`` when any input is invalid, as the browser would.
    public init(
        url: String,
        origin: String,
        method: String = "GET",
        headerFields: HTTPFields = [:],
        credentials: CredentialsMode = .sameOrigin,
        initiator: RequestInitiator = .fetch,
        forcesPreflight: Bool = false
    ) throws(PageRequestError) {
        guard let parsedURL = WebURL(url) else { throw .invalidURL(url) }
        guard let parsedOrigin = WebOrigin(origin) else { throw .invalidOrigin(origin) }
        guard let parsedMethod = HTTPRequest.Method(method) else { throw .invalidMethod(method) }
        try self.init(
            url: parsedURL, origin: parsedOrigin, method: parsedMethod, headerFields: headerFields,
            credentials: credentials, initiator: initiator, forcesPreflight: forcesPreflight)
    }

    /// The memberwise initializer, for values already checked (redirect hops).
    init(
        validatedURL url: WebURL,
        origin: WebOrigin,
        method: HTTPRequest.Method,
        headerFields: HTTPFields,
        credentials: CredentialsMode,
        initiator: RequestInitiator,
        forcesPreflight: Bool,
        redirectChain: [WebURL]
    ) {
        self.url = url
        self.origin = origin
        self.method = method
        self.headerFields = headerFields
        self.credentials = credentials
        self.initiator = initiator
        self.forcesPreflight = forcesPreflight
        self.redirectChain = redirectChain
    }

    /// The URL the script asked for, before any redirect.
    public var initialURL: WebURL {
        redirectChain.first ?? url
    }

    /// How many redirects have been followed.
    public var redirectCount: Int {
        redirectChain.count
    }

    /// The URL list: every URL fetched so far, ending with ``url``.
    var urlList: [WebURL] {
        redirectChain + [url]
    }

    /// Whether a redirect tainted the origin (fetch.bs L2360, "has redirect-tainted origin"):
    /// some hop went from a URL to a URL of another origin while the page's origin was not the
    /// origin of the URL redirected from. For example `app.example` → `api.example` →
    /// `cdn.example` is tainted; `app.example` → `app.example/old` → `api.example` is not.
    public var isOriginTainted: Bool {
        var previous: WebURL?
        for current in urlList {
            defer { previous = current }
            guard let last = previous else { continue }
            if !current.origin.isSameOrigin(as: last.origin), !origin.isSameOrigin(as: last.origin) {
                return true
            }
        }
        return false
    }

    /// The value of the `Origin` header and the origin the CORS check compares with
    /// (fetch.bs L2404, "serializing a request origin"): `null` once the origin is tainted.
    public var serializedOrigin: String {
        isOriginTainted ? "null" : origin.serialized
    }

    /// Whether the response tainting is "cors" (fetch.bs main fetch): some URL fetched so far
    /// is not same origin with the page. Once set it stays set, so a redirect back to the
    /// page's own origin is still CORS-checked.
    public var isCrossOrigin: Bool {
        urlList.contains { !origin.isSameOrigin(as: $0.origin) }
    }

    /// Whether credentials (cookies, HTTP authentication) go with the request: always for
    /// `include`, for `same-origin` only while the request has stayed same-origin (Chromium
    /// `CalculateCredentialsFlag`), never for `omit`.
    public var sendsCredentials: Bool {
        switch credentials {
        case .omit: false
        case .sameOrigin: !isCrossOrigin
        case .include: true
        }
    }
}
