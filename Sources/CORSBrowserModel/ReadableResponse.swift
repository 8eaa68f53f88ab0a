public import HTTPTypes

/// What the page's script can read of a response that passed the CORS check.
public struct ReadableResponse: Sendable, Hashable {
    /// The status the script sees.
    public let status: HTTPResponse.Status
    /// The header fields `response.headers` shows: the CORS-safelisted response headers, the
    /// names in `Access-Control-Expose-Headers`, or all (but `Set-Cookie`) for a same-origin
    /// response or an exposed `*`.
    public let readableHeaderFields: HTTPFields
    /// The lowercased, sorted names in ``readableHeaderFields``.
    public let readableHeaderNames: [String]
    /// The lowercased, sorted names of response headers the script cannot read.
    public let hiddenHeaderNames: [String]
    /// Whether `Access-Control-Expose-Headers: *` exposed every header (only without credentials).
    public let exposesAllHeaders: Bool

    /// Creates a readable response.
    public init(
        status: HTTPResponse.Status, readableHeaderFields: HTTPFields, readableHeaderNames: [String],
        hiddenHeaderNames: [String], exposesAllHeaders: Bool
    ) {
        self.status = status
        self.readableHeaderFields = readableHeaderFields
        self.readableHeaderNames = readableHeaderNames
        self.hiddenHeaderNames = hiddenHeaderNames
        self.exposesAllHeaders = exposesAllHeaders
    }
}
