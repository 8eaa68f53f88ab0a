import CORSBrowserModel
import Testing

@Suite("URLs and origins serialize as the URL Standard and Chromium do")
struct WebURLAndOriginTests {
    @Test(
        "Absolute URLs are normalized like GURL",
        arguments: [
            ("https://API.Example.com:443/a", "https://api.example.com/a"),
            ("http://example.com", "http://example.com/"),
            ("http://example.com:8080/x?y=1#fragment", "http://example.com:8080/x?y=1"),
            ("http://example.com:0080/", "http://example.com/"),
            ("HTTP://0x7f.1/", "http://127.0.0.1/"),
            ("http://127.1:5173", "http://127.0.0.1:5173/"),
            ("http://[0:0:0:0:0:0:0:1]:80/", "http://[::1]/"),
            ("http://[2001:DB8:0:0:1:0:0:1]/", "http://[2001:db8::1:0:0:1]/"),
            ("https://a.example/b/../c/./d", "https://a.example/c/d"),
            ("https://a.example/b/%2e%2E/c", "https://a.example/c"),
            ("https://a.example/a b?q=a b", "https://a.example/a%20b?q=a%20b"),
            ("  https://a.example/\t ", "https://a.example/"),
            ("https:\\\\a.example\\p", "https://a.example/p"),
            ("https:a.example", "https://a.example/"),
            ("https://user:pa ss@a.example/", "https://user:pa%20ss@a.example/"),
            ("https://a.example/caf\u{E9}", "https://a.example/caf%C3%A9"),
        ])
    func absoluteURL(input: String, expected: String) throws {
        let url = try #require(WebURL(input))
        #expect(url.serialized == expected)
    }

    @Test(
        "Invalid or unsupported URLs are refused, never crash",
        arguments: [
            "", "ftp://a.example/", "data:text/plain,x", "javascript:alert(1)", "https://", "https://exa mple.com/",
            "https://a.example:99999/", "https://a.example:8o/", "http://1.2.3.256/", "http://example.1/", "/relative",
            "https://ex\u{E9}.example/", "https://[::1", "https://[1::2::3]/", "https://a.example@/",
        ])
    func invalidURL(input: String) {
        #expect(WebURL(input) == nil)
    }

    @Test(
        "Location values resolve against the current URL",
        arguments: [
            ("/login", "https://api.example.com/login"),
            ("login", "https://api.example.com/v1/users/login"),
            ("../x", "https://api.example.com/v1/x"),
            ("?page=2", "https://api.example.com/v1/users/me?page=2"),
            ("//cdn.example.net/a", "https://cdn.example.net/a"),
            ("http://other.example/", "http://other.example/"),
            ("#top", "https://api.example.com/v1/users/me?x=1"),
            ("https:relative", "https://api.example.com/v1/users/relative"),
        ])
    func relativeResolution(location: String, expected: String) throws {
        let base = try #require(WebURL("https://api.example.com/v1/users/me?x=1"))
        #expect(WebURL(location, relativeTo: base)?.serialized == expected)
    }

    @Test("URL parts are exposed separately")
    func urlParts() throws {
        let url = try #require(WebURL("https://u:p@API.example.com:8443/v1?x=1"))
        #expect(url.scheme == "https")
        #expect(url.username == "u")
        #expect(url.password == "p")
        #expect(url.hasCredentials)
        #expect(url.host == "api.example.com")
        #expect(url.port == 8443)
        #expect(url.effectivePort == 8443)
        #expect(url.authority == "api.example.com:8443")
        #expect(url.pathAndQuery == "/v1?x=1")
        #expect(url.origin.serialized == "https://api.example.com:8443")
    }

    @Test(
        "Origins serialize as scheme://host[:port], default port elided, host lowercased",
        arguments: [
            ("https://App.Example.com:443/", "https://app.example.com"),
            ("http://localhost:5173/index.html", "http://localhost:5173"),
            ("http://app.example.com:80", "http://app.example.com"),
            ("HTTPS://APP.EXAMPLE.COM", "https://app.example.com"),
            ("https://[::1]:8443", "https://[::1]:8443"),
            ("null", "null"),
        ])
    func originSerialization(input: String, expected: String) {
        #expect(WebOrigin(input)?.serialized == expected)
    }

    @Test("The null token is case-sensitive; garbage is not an origin", arguments: ["NULL", "Null", "", "app.example.com", "*"])
    func invalidOrigin(input: String) {
        #expect(WebOrigin(input) == nil)
    }

    @Test("Same origin compares scheme, host and port; opaque origins are never same origin")
    func sameOrigin() throws {
        let app = try #require(WebOrigin("https://app.example.com"))
        #expect(app.isSameOrigin(as: try #require(WebOrigin("https://app.example.com:443/x"))))
        #expect(!app.isSameOrigin(as: try #require(WebOrigin("http://app.example.com"))))
        #expect(!app.isSameOrigin(as: try #require(WebOrigin("https://app.example.com:8443"))))
        #expect(!WebOrigin.opaque.isSameOrigin(as: .opaque))
        #expect(WebOrigin.opaque.isOpaque)
    }

    @Test("Only https and loopback URLs are potentially trustworthy")
    func trustworthiness() {
        #expect(WebURL("https://api.example.com/")?.isPotentiallyTrustworthy == true)
        #expect(WebURL("http://localhost:8080/")?.isPotentiallyTrustworthy == true)
        #expect(WebURL("http://app.localhost/")?.isPotentiallyTrustworthy == true)
        #expect(WebURL("http://127.0.0.1/")?.isPotentiallyTrustworthy == true)
        #expect(WebURL("http://[::1]/")?.isPotentiallyTrustworthy == true)
        #expect(WebURL("http://api.example.com/")?.isPotentiallyTrustworthy == false)
        #expect(WebURL("http://192.168.1.10/")?.isPotentiallyTrustworthy == false)
    }
}
