/// A request's credentials mode (fetch.bs L3960, L6150): whether cookies, HTTP authentication
/// and TLS client certificates go with the request, and how strict the CORS check is.
///
/// | Mode | Credentials sent | `Access-Control-Allow-Origin: *` usable | `Access-Control-Allow-Credentials` |
/// |---|---|---|---|
/// | `omit` | never | yes | ignored |
/// | `sameOrigin` | only to the page's own origin | yes | ignored |
/// | `include` | always | no | must be exactly `true` |
public enum CredentialsMode: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `credentials: "omit"`.
    case omit
    /// `credentials: "same-origin"`: the default of `fetch()` and of `XMLHttpRequest` without
    /// `withCredentials`.
    case sameOrigin = "same-origin"
    /// `credentials: "include"`, or `XMLHttpRequest.withCredentials = true`.
    case include

    /// The mode as JavaScript spells it (`"same-origin"`).
    public var description: String {
        rawValue
    }
}
