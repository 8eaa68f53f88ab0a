import CORSBrowserModel
import Testing

@Suite("Set-Cookie and cross-site credentialed fetches (reference 1.9, RFC 6265bis)")
struct SetCookieTests {
    @Test(
        "Chrome's cross-site verdicts",
        arguments: [
            ("sid=1; SameSite=None; Secure; HttpOnly", CrossSiteCookieVerdict.Outcome.sentCrossSite),
            ("sid=1; samesite=none; secure", .sentCrossSite),
            ("sid=1; SameSite=None; Secure; Partitioned", .sentCrossSite),
            ("sid=1; SameSite=None", .rejected),
            ("sid=1", .notSentCrossSite),
            ("sid=1; Secure", .notSentCrossSite),
            ("sid=1; SameSite=Lax; Secure", .notSentCrossSite),
            ("sid=1; SameSite=strict", .notSentCrossSite),
            ("sid=1; SameSite=Bogus; Secure", .notSentCrossSite),
            ("sid=1; SameSite=None; Secure; SameSite=Lax", .notSentCrossSite),
            ("sid=1; Partitioned; SameSite=None", .rejected),
            ("__Host-sid=1; Secure; Path=/; Domain=example.com; SameSite=None", .rejected),
            ("__Host-sid=1; Secure; Path=/; SameSite=None", .sentCrossSite),
            ("__Secure-sid=1; SameSite=None", .rejected),
            ("=; Secure", .rejected),
        ])
    func verdict(header: String, outcome: CrossSiteCookieVerdict.Outcome) {
        #expect(SetCookie(parsing: header).crossSiteVerdict.outcome == outcome)
    }

    @Test("Attributes are parsed case-insensitively, the last one winning")
    func attributes() {
        let cookie = SetCookie(parsing: " sid = \"abc\" ; Domain=.Example.COM; Path=/api; HTTPONLY; secure; SameSite=LAX; Partitioned")
        #expect(cookie.name == "sid")
        #expect(cookie.value == "abc")
        #expect(cookie.domain == "example.com")
        #expect(cookie.path == "/api")
        #expect(cookie.isHTTPOnly)
        #expect(cookie.isSecure)
        #expect(cookie.isPartitioned)
        #expect(cookie.sameSite == .lax)
        let nameless = SetCookie(parsing: "token")
        #expect(nameless.name == "")
        #expect(nameless.value == "token")
        #expect(nameless.sameSite == nil)
    }

    @Test("Explanations say why")
    func explanations() {
        #expect(
            SetCookie(parsing: "sid=1; SameSite=None").crossSiteVerdict.explanation.hasPrefix(
                "Cookies marked with SameSite=None must also be marked with Secure"))
        #expect(SetCookie(parsing: "sid=1").crossSiteVerdict.explanation.contains("treats as SameSite=Lax"))
        #expect(SetCookie(parsing: "sid=1; SameSite=None; Secure").crossSiteVerdict.isSentCrossSite)
        #expect(
            SetCookie(parsing: "sid=1; SameSite=None; Secure; Partitioned").crossSiteVerdict.explanation.contains(
                "Partitioned (CHIPS)"))
    }

    @Test("Oversized and control-byte cookies are rejected")
    func oversized() {
        let big = SetCookie(parsing: "a=" + String(repeating: "x", count: 5000) + "; SameSite=None; Secure")
        #expect(big.crossSiteVerdict.outcome == .rejected)
        let control = SetCookie(parsing: "a=b\u{1}c; SameSite=None; Secure")
        #expect(control.crossSiteVerdict.outcome == .rejected)
        let longAttribute = SetCookie(parsing: "a=b; Path=/" + String(repeating: "p", count: 2000))
        #expect(longAttribute.path == nil)
    }
}
