/// Why a `PageRequest` cannot exist: the browser would throw before sending anything.
public enum PageRequestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The target is not a valid `http:` or `https:` URL (as given).
    case invalidURL(String)
    /// The page origin is neither `null` nor a valid origin or URL (as given).
    case invalidOrigin(String)
    /// The method is not an HTTP token (as given).
    case invalidMethod(String)
    /// The method is `CONNECT`, `TRACE` or `TRACK` in any case (as given).
    case forbiddenMethod(String)

    /// A one-line explanation. For the method errors this is the `TypeError` text Chromium 156
    /// throws from `fetch()` (measured).
    public var description: String {
        switch self {
        case .invalidURL(let url):
            "'\(url)' is not a valid http or https URL."
        case .invalidOrigin(let origin):
            "'\(origin)' is not a valid origin: use scheme://host[:port] or null."
        case .invalidMethod(let method):
            "Failed to execute 'fetch' on 'Window': '\(method)' is not a valid HTTP method."
        case .forbiddenMethod(let method):
            "Failed to execute 'fetch' on 'Window': '\(method)' HTTP method is unsupported."
        }
    }
}
