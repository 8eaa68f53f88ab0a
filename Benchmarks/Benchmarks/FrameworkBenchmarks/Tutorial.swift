/// The tutorial's requests and response, shared by both frameworks' fixtures.
enum Tutorial {
    static let trustedOrigin = "https://app.example.com"
    static let origins = ["https://app.example.com", "http://localhost:5173"]
    static let meBody = #"{"user":"alice"}"#
    static let requestID = "42"

    /// The fields Chrome sends with `fetch("https://api…/me", {credentials: "include"})`, Origin included.
    static let getFields: [(String, String)] = [
        ("Host", "api.example.com"),
        ("Accept", "*/*"),
        ("Accept-Language", "en-GB,en;q=0.9"),
        ("Accept-Encoding", "gzip, deflate, br, zstd"),
        ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0"),
        ("Cookie", "session=alice"),
        ("Origin", trustedOrigin),
        ("Referer", "https://app.example.com/"),
        ("Sec-Fetch-Mode", "cors"),
    ]

    /// The preflight Chrome sends before `PUT /me` with `Authorization` and `Content-Type`.
    static let preflightFields: [(String, String)] = [
        ("Host", "api.example.com"),
        ("Accept", "*/*"),
        ("Accept-Language", "en-GB,en;q=0.9"),
        ("Accept-Encoding", "gzip, deflate, br, zstd"),
        ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0"),
        ("Access-Control-Request-Method", "PUT"),
        ("Access-Control-Request-Headers", "authorization,content-type"),
        ("Origin", trustedOrigin),
        ("Referer", "https://app.example.com/"),
        ("Sec-Fetch-Mode", "cors"),
    ]
}
