/// Something worth knowing that does not block the request: a header the browser silently
/// drops, a place where Chromium's verdict differs from the Fetch standard and the other
/// browsers, or a likely mistake.
public struct BrowserWarning: Sendable, Hashable, CustomStringConvertible {
    /// A stable identifier for the kind of warning.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The script set a forbidden request header; the browser dropped it.
        case forbiddenHeaderDropped
        /// The method is not uppercased by the browser (`patch`), so the server sees it as written.
        case methodNotNormalized
        /// A cross-origin request without `credentials: "include"`: no cookies are sent.
        case credentialsNotSent
        /// A redirect made the request's `Origin` `null`.
        case originTainted
        /// Chromium safelists a header (a client hint) that the spec, Firefox and Safari preflight.
        case chromiumOnlySafelistedHeader
        /// The target is on a more private network than the page: Local Network Access applies.
        case localNetworkAccess
        /// `Access-Control-Allow-Methods` lists the method in another case (`put` for `PUT`).
        case methodCaseMismatch
        /// `Access-Control-Allow-Headers: *` let `Authorization` through in Chromium only.
        case authorizationCoveredByWildcard
        /// A wildcard in a preflight or expose list is taken literally because of credentials.
        case wildcardIgnoredWithCredentials
        /// `Access-Control-Max-Age` was absent, invalid, negative or above Chromium's cap.
        case maxAgeAdjusted
        /// A response header the script cannot read, or `Set-Cookie` listed in the expose list.
        case headerNotExposed
        /// Chromium blocks what the Fetch standard allows (the verdict is Chromium's).
        case chromiumDiffersFromSpec
        /// An `Access-Control-*` list failed to parse and was ignored.
        case unparsableHeaderList
    }

    /// The kind of warning.
    public let code: Code
    /// A one-sentence explanation, including what the spec and other browsers do when the
    /// verdict is Chromium's own.
    public let message: String

    /// Creates a warning.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String {
        "\(code.rawValue): \(message)"
    }
}
