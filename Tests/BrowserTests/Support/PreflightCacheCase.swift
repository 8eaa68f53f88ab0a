import Foundation
import Testing

/// A preflighted request sent twice in a row (the second `after` the first), to see whether the
/// engine reuses the first preflight: the preflight answer differs only in
/// `Access-Control-Max-Age`. Engines differ here (caps of 7200 s in Chromium, 86400 s in
/// Firefox, 600 s in WebKit; without the header Firefox caches nothing; an unreadable value is
/// the 5 s default in Chromium and WebKit and no caching in Firefox), and the browser model's
/// engine profiles follow what these cases measure (EngineCacheFixtureTests).
struct PreflightCacheCase: Sendable, CustomTestStringConvertible {
    let id: String
    let title: String
    /// The `Access-Control-Max-Age` value, `nil` for none.
    let maxAge: String?
    /// The pause between the two requests.
    let pause: Duration
    /// Extra request headers (the preflight allows `*`).
    let headers: [(String, String)]

    var testDescription: String { id }

    /// `PUT /case/ID`, no credentials; the preflight allows any origin, `PUT` and any header.
    var matrixCase: MatrixCase {
        var fields = [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Methods", "PUT"), ("Access-Control-Allow-Headers", "*")]
        if let maxAge { fields.append(("Access-Control-Max-Age", maxAge)) }
        return MatrixCase(
            id, title, method: "PUT", headers: headers, preflight: ResponseSpec(204, fields),
            actual: ResponseSpec(200, [("Access-Control-Allow-Origin", "*")], body: "ok"), chromium: .allowed(status: 200))
    }

    static let all: [PreflightCacheCase] = [
        PreflightCacheCase(id: "cache-max-age-absent", title: "no Max-Age, again at once", maxAge: nil, pause: .zero, headers: []),
        PreflightCacheCase(
            id: "cache-max-age-absent-after-6s", title: "no Max-Age, again after 6 s (default 5 s)", maxAge: nil,
            pause: .seconds(6), headers: []),
        PreflightCacheCase(id: "cache-max-age-600", title: "Max-Age: 600, again at once", maxAge: "600", pause: .zero, headers: []),
        PreflightCacheCase(id: "cache-max-age-0", title: "Max-Age: 0, again at once", maxAge: "0", pause: .zero, headers: []),
        PreflightCacheCase(id: "cache-max-age-negative", title: "Max-Age: -1, again at once", maxAge: "-1", pause: .zero, headers: []),
        PreflightCacheCase(id: "cache-max-age-word", title: "Max-Age: abc, again at once", maxAge: "abc", pause: .zero, headers: []),
        PreflightCacheCase(id: "cache-max-age-fraction", title: "Max-Age: 5.5, again at once", maxAge: "5.5", pause: .zero, headers: []),
        PreflightCacheCase(
            id: "cache-authorization-wildcard", title: "Authorization under Allow-Headers: *, Max-Age: 600, again at once",
            maxAge: "600", pause: .zero, headers: [("Authorization", "Bearer t")]),
    ]
}
