import CORSWebSyntax
// The Fetch standard's method rules (fetch.bs L579, L587) as Chromium applies them.

enum RequestMethodRules {
    /// "Normalize a method" (L587): a byte-case-insensitive match for `DELETE`, `GET`, `HEAD`,
    /// `OPTIONS`, `POST` or `PUT` is uppercased; every other method is kept exactly as the
    /// script wrote it. So `fetch(url, {method: "patch"})` sends `patch`, which a server
    /// listing `PATCH` in `Access-Control-Allow-Methods` does not allow.
    static func normalize(_ method: String) -> String {
        let upper = ASCII.uppercased(method)
        switch upper {
        case "DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT": return upper
        default: return method
        }
    }

    /// Forbidden methods (fetch.bs "forbidden method"): `CONNECT`, `TRACE`, `TRACK`, compared case-insensitively.
    /// `fetch()` and `XMLHttpRequest.open()` throw for them.
    static func isForbidden(_ method: some StringProtocol) -> Bool {
        switch ASCII.uppercased(method) {
        case "CONNECT", "TRACE", "TRACK": true
        default: false
        }
    }

    /// CORS-safelisted methods (L579): `GET`, `HEAD`, `POST`. Chromium compares after
    /// uppercasing (`IsCorsSafelistedMethod`), which is the same thing once the method is
    /// normalized.
    static func isSafelisted(_ method: some StringProtocol) -> Bool {
        switch ASCII.uppercased(method) {
        case "GET", "HEAD", "POST": true
        default: false
        }
    }
}
