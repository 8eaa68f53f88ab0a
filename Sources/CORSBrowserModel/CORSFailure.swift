/// Why the browser blocked a cross-origin request: one of Chromium's `network::mojom::CorsError`
/// values, the offending value, and the console line Chromium prints for it.
public struct CORSFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rule that failed. Each raw value is exactly Chromium's `CorsError` name without its
    /// `k` prefix (services/network/public/mojom/cors.mojom), so it can be matched against
    /// DevTools issues and Chromium's source.
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// The response has no `Access-Control-Allow-Origin`.
        case missingAllowOriginHeader = "MissingAllowOriginHeader"
        /// `Access-Control-Allow-Origin: *` on a request whose credentials mode is `include`.
        case wildcardOriginNotAllowed = "WildcardOriginNotAllowed"
        /// `Access-Control-Allow-Origin` contains a space or comma (several values, or duplicate lines).
        case multipleAllowOriginValues = "MultipleAllowOriginValues"
        /// `Access-Control-Allow-Origin` is not a URL at all.
        case invalidAllowOriginValue = "InvalidAllowOriginValue"
        /// `Access-Control-Allow-Origin` is some other origin (or the right one spelled differently).
        case allowOriginMismatch = "AllowOriginMismatch"
        /// `Access-Control-Allow-Credentials` is not exactly `true` on an `include` request.
        case invalidAllowCredentials = "InvalidAllowCredentials"
        /// The preflight's `Access-Control-Allow-Origin` is absent.
        case preflightMissingAllowOriginHeader = "PreflightMissingAllowOriginHeader"
        /// The preflight answered `*` to an `include` request.
        case preflightWildcardOriginNotAllowed = "PreflightWildcardOriginNotAllowed"
        /// The preflight's `Access-Control-Allow-Origin` contains a space or comma.
        case preflightMultipleAllowOriginValues = "PreflightMultipleAllowOriginValues"
        /// The preflight's `Access-Control-Allow-Origin` is not a URL.
        case preflightInvalidAllowOriginValue = "PreflightInvalidAllowOriginValue"
        /// The preflight's `Access-Control-Allow-Origin` is another origin.
        case preflightAllowOriginMismatch = "PreflightAllowOriginMismatch"
        /// The preflight's `Access-Control-Allow-Credentials` is not exactly `true` for `include`.
        case preflightInvalidAllowCredentials = "PreflightInvalidAllowCredentials"
        /// The preflight's status is not 200-299.
        case preflightInvalidStatus = "PreflightInvalidStatus"
        /// The preflight was answered with a redirect.
        case preflightDisallowedRedirect = "PreflightDisallowedRedirect"
        /// `Access-Control-Allow-Methods` is not a comma-separated list of tokens.
        case invalidAllowMethodsPreflightResponse = "InvalidAllowMethodsPreflightResponse"
        /// `Access-Control-Allow-Headers` is not a comma-separated list of tokens.
        case invalidAllowHeadersPreflightResponse = "InvalidAllowHeadersPreflightResponse"
        /// The preflight does not allow the request's method.
        case methodDisallowedByPreflightResponse = "MethodDisallowedByPreflightResponse"
        /// The preflight does not allow one of the request's CORS-unsafe headers.
        case headerDisallowedByPreflightResponse = "HeaderDisallowedByPreflightResponse"
        /// A redirect's `Location` carries a user name or password on a cross-origin request.
        case redirectContainsCredentials = "RedirectContainsCredentials"

        /// Whether Chromium's message starts with "Response to preflight request doesn't pass
        /// access control check: " (blink `IsPreflightError`). The method, header and list-parse
        /// errors are about the preflight too but do not get that prefix.
        public var hasPreflightPrefix: Bool {
            switch self {
            case .preflightMissingAllowOriginHeader, .preflightWildcardOriginNotAllowed,
                .preflightMultipleAllowOriginValues, .preflightInvalidAllowOriginValue,
                .preflightAllowOriginMismatch, .preflightInvalidAllowCredentials, .preflightInvalidStatus,
                .preflightDisallowedRedirect:
                true
            default:
                false
            }
        }

        /// The reason without its `Preflight` prefix: the origin and credentials rules read the
        /// same on a preflight and on an actual response.
        public var withoutPreflightPrefix: Reason {
            switch self {
            case .preflightMissingAllowOriginHeader: .missingAllowOriginHeader
            case .preflightWildcardOriginNotAllowed: .wildcardOriginNotAllowed
            case .preflightMultipleAllowOriginValues: .multipleAllowOriginValues
            case .preflightInvalidAllowOriginValue: .invalidAllowOriginValue
            case .preflightAllowOriginMismatch: .allowOriginMismatch
            case .preflightInvalidAllowCredentials: .invalidAllowCredentials
            default: self
            }
        }

        /// The reason with the `Preflight` prefix, for a CORS-check failure on a preflight
        /// response (Chromium `CheckPreflightAccess`).
        var onPreflight: Reason {
            switch self {
            case .missingAllowOriginHeader: .preflightMissingAllowOriginHeader
            case .wildcardOriginNotAllowed: .preflightWildcardOriginNotAllowed
            case .multipleAllowOriginValues: .preflightMultipleAllowOriginValues
            case .invalidAllowOriginValue: .preflightInvalidAllowOriginValue
            case .allowOriginMismatch: .preflightAllowOriginMismatch
            case .invalidAllowCredentials: .preflightInvalidAllowCredentials
            default: self
            }
        }
    }

    /// The rule that failed.
    public let reason: Reason
    /// Exactly what Chromium's DevTools report as `corsErrorStatus.failedParameter`: the
    /// `Access-Control-Allow-Origin` or `-Credentials` value, the disallowed method, or the
    /// lowercased header name. `nil` where Chromium reports none (measured on Chromium 156:
    /// redirected or non-ok preflights, unparsable lists, credentials in a redirect).
    public let failedParameter: String?
    /// The value that made the rule fail, also where Chromium reports no parameter: the
    /// preflight's status or `Location`, the unparsable list, the redirect URL. For explanations.
    public let offendingValue: String?

    /// Creates a failure.
    ///
    /// - Parameters:
    ///   - reason: Chromium's `CorsError`.
    ///   - failedParameter: Chromium's `failedParameter`.
    ///   - offendingValue: The value behind the failure, when Chromium reports none; defaults to
    ///     `failedParameter`.
    public init(_ reason: Reason, failedParameter: String? = nil, offendingValue: String? = nil) {
        self.reason = reason
        self.failedParameter = failedParameter
        self.offendingValue = offendingValue ?? failedParameter
    }

    /// `Reason` and parameter, e.g. `AllowOriginMismatch ('https://a.example/')`.
    public var description: String {
        failedParameter.map { "\(reason.rawValue) ('\($0)')" } ?? reason.rawValue
    }
}
