/// THE shared table: every case is run against the core engine, the Hummingbird adapter and
/// the Vapor adapter, which must all answer exactly this.
extension ConformanceCase {
    static let app = "https://app.example.com"
    static let dev = "http://localhost:5173"
    static let evil = "https://evil.example"

    static let acao = "Access-Control-Allow-Origin"
    static let acac = "Access-Control-Allow-Credentials"
    static let acam = "Access-Control-Allow-Methods"
    static let acah = "Access-Control-Allow-Headers"
    static let aceh = "Access-Control-Expose-Headers"
    static let acma = "Access-Control-Max-Age"
    static let acapn = "Access-Control-Allow-Private-Network"

    static let varyPreflight = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
    static let varyPreflightPNA = varyPreflight + ", Access-Control-Request-Private-Network"

    /// The tutorial policy's answer to a trusted actual request.
    static func actual(_ origin: String) -> [(String, String)] {
        [(acao, origin), (acac, "true"), (aceh, "X-Request-Id")]
    }

    /// The tutorial policy's answer to a trusted preflight; `allowed: false` leaves out max-age.
    static func preflight(_ origin: String, allowed: Bool = true) -> [(String, String)] {
        [(acao, origin), (acac, "true"), (acam, "GET, POST, PUT, DELETE"), (acah, "Authorization, Content-Type")]
            + (allowed ? [(acma, "600")] : [])
    }

    static func preflightRequest(_ origin: String, _ method: String, headers: String? = nil) -> [(String, String)] {
        [("Origin", origin), ("Access-Control-Request-Method", method)]
            + (headers.map { [("Access-Control-Request-Headers", $0)] } ?? [])
    }

    static let all: [ConformanceCase] = [
        // Tutorial policy: actual requests.
        .init("no Origin: not CORS, still Vary", "GET", "/me", status: 200, cors: [], vary: "Origin"),
        .init("trusted origin", "GET", "/me", [("Origin", app)], status: 200, cors: actual(app), vary: "Origin"),
        .init("second trusted origin", "GET", "/me", [("Origin", dev)], status: 200, cors: actual(dev), vary: "Origin"),
        .init("trusted PUT", "PUT", "/me", [("Origin", app)], status: 200, cors: actual(app), vary: "Origin"),
        .init("trusted DELETE 204", "DELETE", "/me", [("Origin", app)], status: 204, cors: actual(app), vary: "Origin"),
        .init("untrusted origin: no Access-Control-*", "GET", "/me", [("Origin", evil)], status: 200, cors: [], vary: "Origin"),
        .init("null origin is untrusted", "GET", "/me", [("Origin", "null")], status: 200, cors: [], vary: "Origin"),
        .init("origins compare exactly", "GET", "/me", [("Origin", "HTTPS://APP.EXAMPLE.COM")], status: 200, cors: [], vary: "Origin"),
        .init("two Origin fields", "GET", "/me", [("Origin", app), ("Origin", dev)], status: 200, cors: [], vary: "Origin"),
        // Error responses.
        .init("404 trusted", "GET", "/nowhere", [("Origin", app)], status: 404, cors: actual(app), vary: "Origin"),
        .init("404 untrusted", "GET", "/nowhere", [("Origin", evil)], status: 404, cors: [], vary: "Origin"),
        .init("thrown error 500", "GET", "/boom", [("Origin", app)], status: 500, cors: actual(app), vary: "Origin"),
        .init("HTTP error 401", "GET", "/unauthorized", [("Origin", app)], status: 401, cors: actual(app), vary: "Origin"),
        .init("500 without Origin", "GET", "/boom", status: 500, cors: [], vary: "Origin"),
        // Application fields.
        .init("Vary appended", "GET", "/vary", [("Origin", app)], status: 200, cors: actual(app), vary: "Accept-Encoding, Origin"),
        .init("Vary appended without Origin", "GET", "/vary", status: 200, cors: [], vary: "Accept-Encoding, Origin"),
        .init("application's ACAO replaced (trusted)", "GET", "/own-cors", [("Origin", app)], status: 200, cors: actual(app), vary: "Origin"),
        .init("application's ACAO removed (untrusted)", "GET", "/own-cors", [("Origin", evil)], status: 200, cors: [], vary: "Origin"),
        // Preflights.
        .init(
            "preflight allowed", "OPTIONS", "/me", preflightRequest(app, "PUT", headers: "authorization,content-type"),
            status: 204, cors: preflight(app), vary: varyPreflight),
        .init(
            "preflight header list with spaces and case", "OPTIONS", "/me",
            preflightRequest(dev, "DELETE", headers: " Content-Type , AUTHORIZATION "), status: 204, cors: preflight(dev),
            vary: varyPreflight),
        .init(
            "preflight safelisted method, no headers", "OPTIONS", "/me", preflightRequest(app, "GET"), status: 204,
            cors: preflight(app), vary: varyPreflight),
        .init(
            "preflight denied method", "OPTIONS", "/me", preflightRequest(app, "PATCH"), status: 204,
            cors: preflight(app, allowed: false), vary: varyPreflight),
        .init(
            "preflight method is case-sensitive", "OPTIONS", "/me", preflightRequest(app, "put"), status: 204,
            cors: preflight(app, allowed: false), vary: varyPreflight),
        .init(
            "preflight denied header", "OPTIONS", "/me", preflightRequest(app, "PUT", headers: "x-custom"), status: 204,
            cors: preflight(app, allowed: false), vary: varyPreflight),
        .init(
            "preflight untrusted origin", "OPTIONS", "/me", preflightRequest(evil, "PUT"), status: 403, cors: [],
            vary: varyPreflight),
        .init(
            "preflight for an unknown path", "OPTIONS", "/nowhere", preflightRequest(app, "DELETE"), status: 204,
            cors: preflight(app), vary: varyPreflight),
        .init(
            "preflight for a path with only GET", "OPTIONS", "/boom", preflightRequest(app, "PUT"), status: 204,
            cors: preflight(app), vary: varyPreflight),
        .init(
            "hostile Access-Control-Request-Headers", "OPTIONS", "/me",
            preflightRequest(app, "PUT", headers: String(repeating: ",", count: 6000)), status: 204,
            cors: preflight(app, allowed: false), vary: varyPreflight),
        .init(
            "huge Access-Control-Request-Headers", "OPTIONS", "/me",
            preflightRequest(app, "PUT", headers: String(repeating: "x", count: 100_000)), status: 204,
            cors: preflight(app, allowed: false), vary: varyPreflight),
        // OPTIONS that is not a preflight reaches the application.
        .init(
            "OPTIONS without Access-Control-Request-Method", "OPTIONS", "/options-route", [("Origin", app)], status: 200,
            cors: actual(app), vary: varyPreflight),
        .init("OPTIONS without Origin", "OPTIONS", "/options-route", status: 200, cors: [], vary: varyPreflight),
        .init(
            "OPTIONS with only Access-Control-Request-Method", "OPTIONS", "/options-route",
            [("Access-Control-Request-Method", "PUT")], status: 200, cors: [], vary: varyPreflight),

        // Public API: `*`, no credentials.
        .init(
            "public: no Origin still gets *", .publicAPI, "GET", "/me", status: 200,
            cors: [(acao, "*"), (aceh, "X-Request-Id")], vary: ""),
        .init(
            "public: any origin gets *", .publicAPI, "GET", "/me", [("Origin", evil)], status: 200,
            cors: [(acao, "*"), (aceh, "X-Request-Id")], vary: ""),
        .init(
            "public: 500 gets *", .publicAPI, "GET", "/boom", [("Origin", evil)], status: 500,
            cors: [(acao, "*"), (aceh, "X-Request-Id")], vary: ""),
        .init(
            "public: preflight with any header", .publicAPI, "OPTIONS", "/me",
            preflightRequest(evil, "POST", headers: "x-anything"), status: 204,
            cors: [(acao, "*"), (acam, "GET, POST"), (acah, "*"), (acma, "7200")], vary: varyPreflight),
        .init(
            "public: * does not cover Authorization", .publicAPI, "OPTIONS", "/me",
            preflightRequest(evil, "POST", headers: "authorization"), status: 204,
            cors: [(acao, "*"), (acam, "GET, POST"), (acah, "*")], vary: varyPreflight),
        .init(
            "public: method not listed", .publicAPI, "OPTIONS", "/me", preflightRequest(evil, "DELETE"), status: 204,
            cors: [(acao, "*"), (acam, "GET, POST"), (acah, "*")], vary: varyPreflight),

        // Patterns, Private Network Access, status 200.
        .init(
            "pattern: subdomain", .patterns, "GET", "/me", [("Origin", "https://api.example.com")], status: 200,
            cors: [(acao, "https://api.example.com")], vary: "Origin"),
        .init(
            "pattern: deeper subdomain", .patterns, "GET", "/me", [("Origin", "https://a.b.example.com")], status: 200,
            cors: [(acao, "https://a.b.example.com")], vary: "Origin"),
        .init(
            "pattern: bare domain is not a subdomain", .patterns, "GET", "/me", [("Origin", "https://example.com")],
            status: 200, cors: [], vary: "Origin"),
        .init(
            "pattern: look-alike domain", .patterns, "GET", "/me", [("Origin", "https://evilexample.com")], status: 200,
            cors: [], vary: "Origin"),
        .init(
            "pattern: any localhost port", .patterns, "GET", "/me", [("Origin", "http://localhost:3000")], status: 200,
            cors: [(acao, "http://localhost:3000")], vary: "Origin"),
        .init(
            "pattern: preflight with Private Network Access", .patterns, "OPTIONS", "/me",
            preflightRequest("https://api.example.com", "PATCH", headers: "x-api-key")
                + [("Access-Control-Request-Private-Network", "true")],
            status: 200,
            cors: [
                (acao, "https://api.example.com"), (acam, "PATCH"), (acah, "X-Api-Key"), (acma, "600"), (acapn, "true"),
            ],
            vary: varyPreflightPNA),
        .init(
            "pattern: preflight without Private Network Access", .patterns, "OPTIONS", "/me",
            preflightRequest("http://localhost:8081", "PATCH"), status: 200,
            cors: [(acao, "http://localhost:8081"), (acam, "PATCH"), (acah, "X-Api-Key"), (acma, "600")],
            vary: varyPreflightPNA),
        .init(
            "pattern: untrusted preflight", .patterns, "OPTIONS", "/me", preflightRequest("https://example.org", "PATCH"),
            status: 403, cors: [], vary: varyPreflightPNA),
    
        // A policy table: the public policy under /public, the tutorial's elsewhere.
        .init(
            "table: default policy", .routed, "GET", "/me", [("Origin", app)], status: 200, cors: actual(app),
            vary: "Origin"),
        .init(
            "table: prefix policy on an unknown path", .routed, "GET", "/public/feed", [("Origin", evil)], status: 404,
            cors: [(acao, "*"), (aceh, "X-Request-Id")], vary: ""),
        .init(
            "table: prefix policy answers preflights", .routed, "OPTIONS", "/public/feed",
            preflightRequest(evil, "POST", headers: "x-anything"), status: 204,
            cors: [(acao, "*"), (acam, "GET, POST"), (acah, "*"), (acma, "7200")], vary: varyPreflight),
        .init(
            "table: prefixes are segment-aligned", .routed, "GET", "/publicity", [("Origin", evil)], status: 404, cors: [],
            vary: "Origin"),
    ]
}
