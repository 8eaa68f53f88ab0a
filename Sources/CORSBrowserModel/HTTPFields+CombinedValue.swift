public import HTTPTypes
import CORSWebSyntax

extension HTTPFields {
    /// The value a browser sees for `name`: every field line with that name, each trimmed of
    /// leading and trailing spaces and tabs (as the wire parser strips them), joined with `", "`.
    /// `nil` when no line has the name.
    ///
    /// Joining is what makes duplicate `Access-Control-Allow-Origin` lines fail the CORS check:
    /// `"https://a.example, https://a.example"` never equals an origin (fetch.bs L7267 step 1,
    /// "get" a header; Chromium `HttpResponseHeaders::GetNormalizedHeader`).
    public func combinedValue(of name: HTTPField.Name) -> String? {
        let values = self[values: name]
        guard !values.isEmpty else { return nil }
        return values.lazy.map { String(ASCII.trimmingOptionalWhitespace($0)) }.joined(separator: ", ")
    }
}
