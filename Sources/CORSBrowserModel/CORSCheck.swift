public import HTTPTypes
import CORSWebSyntax

/// The CORS check (fetch.bs L7267) with Chromium's error mapping (`network::cors::CheckAccess`).
///
/// It runs on every response of a cross-origin request, redirects included (fetch.bs L5884),
/// and on the preflight response with the actual request's credentials mode.
public enum CORSCheck {
    /// Checks `Access-Control-Allow-Origin` and, for `include`, `Access-Control-Allow-Credentials`.
    ///
    /// The steps, in Chromium's order:
    /// 1. ACAO is read with every line trimmed and duplicate lines joined by `", "`, so two
    ///    identical lines fail as MultipleAllowOriginValues.
    /// 2. `*`: allowed unless the mode is `include` (then WildcardOriginNotAllowed, whatever
    ///    ACAC says).
    /// 3. Absent: MissingAllowOriginHeader.
    /// 4. Not byte-equal to the request's serialized origin: MultipleAllowOriginValues if the
    ///    value has a space or comma, AllowOriginMismatch for `null`, InvalidAllowOriginValue
    ///    if it is not a URL, else AllowOriginMismatch. Case matters, a trailing `/` fails, and
    ///    `null` matches a `null` origin.
    /// 5. For `include`, ACAC must be exactly `true` (`True` fails): InvalidAllowCredentials.
    ///
    /// - Parameters:
    ///   - fields: the response's header fields.
    ///   - serializedOrigin: the request's `Origin` (``PageRequest/serializedOrigin``).
    ///   - credentials: the request's credentials mode.
    /// - Returns: `nil` when the check passes, otherwise the failure (without the `Preflight`
    ///   prefix; ``RequestPlan/evaluatePreflight(_:)`` adds it).
    public static func evaluate(
        _ fields: HTTPFields, serializedOrigin: String, credentials: CredentialsMode
    ) -> CORSFailure? {
        let allowOrigin = fields.combinedValue(of: .accessControlAllowOrigin)
        if allowOrigin == "*" {
            return credentials == .include ? CORSFailure(.wildcardOriginNotAllowed) : nil
        }
        guard let allowOrigin else {
            return CORSFailure(.missingAllowOriginHeader)
        }
        if allowOrigin != serializedOrigin {
            if allowOrigin.utf8.contains(where: { $0 == ASCII.space || $0 == ASCII.comma }) {
                return CORSFailure(.multipleAllowOriginValues, failedParameter: allowOrigin)
            }
            if allowOrigin == "null" {
                return CORSFailure(.allowOriginMismatch, failedParameter: allowOrigin)
            }
            if !URLParser.isValidURL(allowOrigin) {
                return CORSFailure(.invalidAllowOriginValue, failedParameter: allowOrigin)
            }
            return CORSFailure(.allowOriginMismatch, failedParameter: allowOrigin)
        }
        if credentials == .include {
            let allowCredentials = fields.combinedValue(of: .accessControlAllowCredentials)
            if allowCredentials != "true" {
                return CORSFailure(.invalidAllowCredentials, failedParameter: allowCredentials)
            }
        }
        return nil
    }
}
