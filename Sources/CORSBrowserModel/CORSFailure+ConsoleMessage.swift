// Chromium's console line for a CORS failure, byte for byte:
// third_party/blink/renderer/platform/loader/cors/cors_error_string.cc,
// `GetErrorStringForConsoleMessage`, checked against Debian's Chromium 156.0.8078.108.
//
// Note for readers of reference/browser-rules-and-scanners.md 1.10: current Chromium no longer
// appends "If an opaque response serves your needs, set the request's mode to 'no-cors'…".
// Chromium 156 prints, for fetch only, the shorter hint " Have the server send the header with
// a valid value." after the multiple/invalid/mismatch errors, and nothing after
// MissingAllowOriginHeader (measured for both fetch and XMLHttpRequest).

extension CORSFailure {
    /// Appended after the Access-Control-Allow-Origin value errors for `fetch()` ("+NC").
    static let fetchHint = " Have the server send the header with a valid value."
    /// Appended after the credentials errors for `XMLHttpRequest` ("+WC").
    static let xmlHttpRequestCredentialsHint =
        " The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute."

    /// The exact line Chromium writes to the console.
    ///
    /// - Parameters:
    ///   - url: the URL whose response failed (the last one after redirects).
    ///   - initialURL: the URL the script asked for; when it differs from `url` the line says
    ///     `(redirected from '…')`.
    ///   - origin: the page's origin (Chromium prints it even when the request's `Origin` was
    ///     tainted to `null`, measured).
    ///   - initiator: `fetch` or `XMLHttpRequest`.
    public func consoleMessage(
        url: WebURL, initialURL: WebURL? = nil, origin: WebOrigin, initiator: RequestInitiator
    ) -> String {
        var line = "Access to \(initiator.resourceKind) at '\(url.serialized)' "
        if let initialURL, initialURL != url {
            line += "(redirected from '\(initialURL.serialized)') "
        }
        line += "from origin '\(origin.serialized)' has been blocked by CORS policy: "
        if reason.hasPreflightPrefix {
            line += "Response to preflight request doesn't pass access control check: "
        }
        return line + messageBody(initiator: initiator)
    }

    /// The console line for a failure of `request` (at its current URL).
    public func consoleMessage(for request: PageRequest) -> String {
        consoleMessage(url: request.url, initialURL: request.initialURL, origin: request.origin, initiator: request.initiator)
    }

    private func messageBody(initiator: RequestInitiator) -> String {
        let hint = Self.encodedHint(failedParameter ?? "")
        let fetchHint = initiator == .fetch ? Self.fetchHint : ""
        let credentialsHint = initiator == .xmlHttpRequest ? Self.xmlHttpRequestCredentialsHint : ""
        switch reason {
        case .missingAllowOriginHeader, .preflightMissingAllowOriginHeader:
            return "No 'Access-Control-Allow-Origin' header is present on the requested resource."
        case .wildcardOriginNotAllowed, .preflightWildcardOriginNotAllowed:
            return
                "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'."
                + credentialsHint
        case .multipleAllowOriginValues, .preflightMultipleAllowOriginValues:
            return
                "The 'Access-Control-Allow-Origin' header contains multiple values '\(hint)', but only one is allowed."
                + fetchHint
        case .invalidAllowOriginValue, .preflightInvalidAllowOriginValue:
            return "The 'Access-Control-Allow-Origin' header contains the invalid value '\(hint)'." + fetchHint
        case .allowOriginMismatch, .preflightAllowOriginMismatch:
            return
                "The 'Access-Control-Allow-Origin' header has a value '\(hint)' that is not equal to the supplied origin."
                + fetchHint
        case .invalidAllowCredentials, .preflightInvalidAllowCredentials:
            return
                "The value of the 'Access-Control-Allow-Credentials' header in the response is '\(hint)' which must be 'true' when the request's credentials mode is 'include'."
                + credentialsHint
        case .preflightInvalidStatus:
            return "It does not have HTTP ok status."
        case .preflightDisallowedRedirect:
            return "Redirect is not allowed for a preflight request."
        case .invalidAllowMethodsPreflightResponse:
            return "Cannot parse Access-Control-Allow-Methods response header field in preflight response."
        case .invalidAllowHeadersPreflightResponse:
            return "Cannot parse Access-Control-Allow-Headers response header field in preflight response."
        case .methodDisallowedByPreflightResponse:
            return "Method \(hint) is not allowed by Access-Control-Allow-Methods in preflight response."
        case .headerDisallowedByPreflightResponse:
            return "Request header field \(hint) is not allowed by Access-Control-Allow-Headers in preflight response."
        case .redirectContainsCredentials:
            // Chromium's `CheckRedirectLocation` creates this error without a failed parameter,
            // so the quotes are empty (measured on 156); ``offendingValue`` names the URL.
            return
                "Redirect location '' contains a username and password, which is disallowed for cross-origin requests."
        }
    }

    /// Chromium's `EncodeHint`: printable ASCII as is, every other byte as `\uXXXX` (the
    /// value is a byte string, so a UTF-8 `é` prints as `\u00C3\u00A9`).
    static func encodedHint(_ value: String) -> String {
        var output = ""
        output.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            if byte >= 0x20 && byte <= 0x7E {
                output.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return output
    }
}
