import CORSWebSyntax
// Parsing of the comma-separated token lists CORS responses carry:
// `Access-Control-Allow-Methods` (`#method`), `Access-Control-Allow-Headers` and
// `Access-Control-Expose-Headers` (`#field-name`). Spec: "extract header list values" (fetch.bs),
// Chromium: `ParseAccessControlAllowList` (services/network/cors/preflight_result.cc), which
// iterates with `net::HttpUtil::ValuesIterator(value, ',', /*ignore_empty_values=*/true)`.

enum TokenList {
    /// Splits a list on commas, trims spaces and tabs around each element, skips empty elements
    /// (`"PUT,,GET ,"` is `["PUT", "GET"]`, as measured on Chromium 156), and fails as a whole if
    /// any element is not an RFC 9110 token (`"x-a, b c"` and `"\"x\""` fail).
    ///
    /// Quoted strings need no special case: an element containing a quote is never a token, so
    /// the list fails whether or not a comma inside the quotes splits it.
    ///
    /// - Returns: the elements in order (duplicates kept), or `nil` when the list does not parse.
    static func parse(_ value: some StringProtocol) -> [Substring]? {
        var elements: [Substring] = []
        // Split on the comma byte, not on `Character`s: a comma followed by a combining mark is
        // one grapheme, but it is still a separator on the wire.
        for rawElement in Substring(value).utf8.split(separator: ASCII.comma, omittingEmptySubsequences: false) {
            let element = ASCII.trimmingOptionalWhitespace(Substring(rawElement))
            if element.isEmpty { continue }
            guard ASCII.isToken(element.utf8) else { return nil }
            elements.append(element)
        }
        return elements
    }

}
