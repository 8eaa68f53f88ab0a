/// A failure that is not a CORS error: the browser gives up with a `net::` error, the script
/// sees only `TypeError: Failed to fetch`, and the console has no "blocked by CORS policy" line
/// (measured for a redirect loop on Chromium 156).
public struct NetworkError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Chromium's `net::Error` name.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// More than 20 redirects.
        case tooManyRedirects = "ERR_TOO_MANY_REDIRECTS"
        /// A `Location` that is not a valid URL.
        case invalidRedirect = "ERR_INVALID_REDIRECT"
        /// A `Location` whose scheme is not http or https (`data:`, `file:`, `ftp:`…).
        case unsafeRedirect = "ERR_UNSAFE_REDIRECT"
    }

    /// The error.
    public let code: Code
    /// The URL involved: the `Location` value, or the URL that redirected once too often.
    public let url: String
    /// A one-sentence explanation.
    public let explanation: String

    /// Creates a network error.
    public init(_ code: Code, url: String, explanation: String) {
        self.code = code
        self.url = url
        self.explanation = explanation
    }

    /// What the script's `catch` receives from `fetch()`.
    public static let scriptError = "TypeError: Failed to fetch"

    /// `net::CODE (url): explanation`.
    public var description: String {
        "net::\(code.rawValue) (\(url)): \(explanation)"
    }
}
