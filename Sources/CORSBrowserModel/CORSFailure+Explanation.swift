// Plain-English causes and fixes, for people who only have the console line. These are this
// project's words, not Chromium's.

extension CORSFailure {
    /// What went wrong and how to fix it on the server, in one or two sentences.
    public var explanation: String {
        let value = offendingValue ?? ""
        switch reason {
        case .missingAllowOriginHeader:
            return
                "The response carries no Access-Control-Allow-Origin header. Send the page's origin in it; if this was an error response (404, 500), make sure the CORS layer also runs for errors."
        case .preflightMissingAllowOriginHeader:
            return
                "The preflight (OPTIONS) response carries no Access-Control-Allow-Origin header. Answer OPTIONS requests with the CORS headers before any authentication or routing that could fail."
        case .wildcardOriginNotAllowed, .preflightWildcardOriginNotAllowed:
            return
                "'Access-Control-Allow-Origin: *' cannot be used with credentials. Echo the request's exact origin instead (and add 'Vary: Origin')."
        case .multipleAllowOriginValues, .preflightMultipleAllowOriginValues:
            return
                "Access-Control-Allow-Origin must hold exactly one origin, but it is '\(value)' (several values, or the header was added twice, e.g. by both a proxy and the app). Send the single origin of the request."
        case .invalidAllowOriginValue, .preflightInvalidAllowOriginValue:
            return
                "Access-Control-Allow-Origin is '\(value)', which is not an origin. Send scheme://host[:port] exactly as in the request's Origin header."
        case .allowOriginMismatch, .preflightAllowOriginMismatch:
            return
                "Access-Control-Allow-Origin is '\(value)', but it must equal the request's Origin byte for byte (same scheme, host and port, lowercase, no trailing slash, no path)."
        case .invalidAllowCredentials, .preflightInvalidAllowCredentials:
            let shown = offendingValue.map { "'\($0)'" } ?? "absent"
            return
                "The request includes credentials, so Access-Control-Allow-Credentials must be exactly 'true' (lowercase); it is \(shown)."
        case .preflightInvalidStatus:
            return
                "The preflight (OPTIONS) response status is \(value.isEmpty ? "not 2xx" : value); it must be 200-299. Answer OPTIONS before authentication and make sure the route exists."
        case .preflightDisallowedRedirect:
            return
                "The preflight (OPTIONS) was answered with a redirect\(value.isEmpty ? "" : " to '\(value)'"), which browsers never follow. Call the final URL directly (for example https:// instead of http://, or with the trailing slash the server expects)."
        case .invalidAllowMethodsPreflightResponse:
            return
                "Access-Control-Allow-Methods is not a comma-separated list of method tokens ('\(value)'). Send something like 'GET, POST, PUT'."
        case .invalidAllowHeadersPreflightResponse:
            return
                "Access-Control-Allow-Headers is not a comma-separated list of header names ('\(value)'). Send something like 'Authorization, Content-Type'."
        case .methodDisallowedByPreflightResponse:
            return
                "The preflight does not allow the method \(value). Add '\(value)' to Access-Control-Allow-Methods, spelled exactly (the comparison is case-sensitive)."
        case .headerDisallowedByPreflightResponse:
            return
                "The preflight does not allow the request header '\(value)'. Add it to Access-Control-Allow-Headers\(value == "authorization" ? " (Authorization must be listed by name: '*' does not cover it in the standard)" : "")."
        case .redirectContainsCredentials:
            return
                "The redirect location\(value.isEmpty ? "" : " '\(value)'") contains a user name or password, which browsers refuse on cross-origin requests. Redirect to a URL without userinfo."
        }
    }
}
