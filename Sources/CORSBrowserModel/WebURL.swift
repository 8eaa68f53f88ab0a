/// An `http:` or `https:` URL as a browser holds it for a request: parsed and normalized the way
/// the URL Standard (and Chromium's GURL) does, without Foundation.
///
/// Normalization matches what Chromium prints in its console: the scheme and host are
/// lowercased, a default port is removed (`https://API.example.com:443` becomes
/// `https://api.example.com/`), an empty path becomes `/`, dot segments are resolved, IP
/// literals are canonicalized (`http://0x7f.1/` is `http://127.0.0.1/`) and unsafe bytes are
/// percent-encoded.
///
/// Limits, on purpose: the fragment is dropped (it is never sent and never part of a CORS
/// decision); non-ASCII hosts are refused (pass the punycode `xn--` form, since this model does
/// no IDNA); and the parser refuses input longer than 2 MiB, Chromium's own URL limit.
public struct WebURL: Sendable, Hashable, CustomStringConvertible {
    /// `http` or `https`.
    public let scheme: String
    /// The percent-encoded user name; empty when the URL has none.
    public let username: String
    /// The percent-encoded password; empty when the URL has none.
    public let password: String
    /// The lowercased host name, dotted-decimal IPv4 address, or bracketed IPv6 address.
    public let host: String
    /// The port, or `nil` when the URL uses the scheme's default port.
    public let port: Int?
    /// The path, always starting with `/`.
    public let path: String
    /// The query without its leading `?`, or `nil` when the URL has none.
    public let query: String?

    /// Parses an absolute `http:` or `https:` URL. Returns `nil` for anything else.
    public init?(_ string: String) {
        guard let parts = URLParser.parse(string) else { return nil }
        self.init(parts: parts)
    }

    /// Parses `string` as a URL reference relative to `base`, the way a browser resolves a
    /// `Location` header (`/login`, `?page=2`, `//cdn.example/x` and `../up` all work).
    /// Returns `nil` when the result is not a valid `http:` or `https:` URL.
    public init?(_ string: String, relativeTo base: WebURL) {
        guard let parts = URLParser.parse(string, base: base.parts) else { return nil }
        self.init(parts: parts)
    }

    init?(parts: URLParts) {
        guard parts.scheme == "http" || parts.scheme == "https" else { return nil }
        scheme = parts.scheme
        username = parts.username
        password = parts.password
        host = parts.host
        port = parts.port
        path = parts.path
        query = parts.query
    }

    var parts: URLParts {
        URLParts(
            scheme: scheme, username: username, password: password, host: host, port: port,
            path: path, query: query)
    }

    /// Whether the URL carries a user name or password (`https://user:pass@host/`), which
    /// matters on redirects (fetch.bs L5963, HTTP-redirect fetch).
    public var hasCredentials: Bool {
        !username.isEmpty || !password.isEmpty
    }

    /// The URL's origin: its scheme, host and port.
    public var origin: WebOrigin {
        .tuple(scheme: scheme, host: host, port: port)
    }

    /// The port a connection goes to: the explicit port or the scheme's default.
    public var effectivePort: Int {
        port ?? (scheme == "https" ? 443 : 80)
    }

    /// `host[:port]`, the value of the `Host` header and of HTTP/2's `:authority`.
    public var authority: String {
        port.map { "\(host):\($0)" } ?? host
    }

    /// The request target: the path followed by `?query` when there is one.
    public var pathAndQuery: String {
        query.map { "\(path)?\($0)" } ?? path
    }

    /// The URL serialized as the URL Standard does (and as Chromium prints it), without fragment.
    public var serialized: String {
        var credentials = ""
        if hasCredentials {
            credentials = password.isEmpty ? "\(username)@" : "\(username):\(password)@"
        }
        return "\(scheme)://\(credentials)\(authority)\(pathAndQuery)"
    }

    /// The serialized URL.
    public var description: String {
        serialized
    }

    /// Whether the URL is "potentially trustworthy" (W3C Secure Contexts): `https:`, or a
    /// loopback host (`localhost`, `*.localhost`, 127.0.0.0/8, `[::1]`). Chromium sends the
    /// Fetch Metadata headers of an actual request only to such URLs (measured on 156; a
    /// preflight carries `Sec-Fetch-Mode` regardless).
    public var isPotentiallyTrustworthy: Bool {
        scheme == "https" || HostAddressSpace(host: host) == .loopback
    }
}
