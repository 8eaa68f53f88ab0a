import CORSBrowserModel
import HTTPTypes
import Testing

// Inputs found by the FuzzBrowserResponse target in Fuzz/ (Fuzz/README.md), kept as ordinary tests.

@Suite("Fuzz regressions (browser model)")
struct BrowserModelFuzzRegressionTests {
    /// The fuzzer's `Set-Cookie: =;…; Domain=..com` broke the harness's assumption that a
    /// parsed domain never starts with a dot. RFC 6265bis §5.6.3 (and Chromium) drop exactly one
    /// leading dot, so `..com` leaves `.com` — a domain that then matches no host, so the
    /// browser refuses the cookie. The model keeps the RFC's behaviour; this pins it.
    @Test("Domain=..com keeps one dot, as RFC 6265bis does")
    func doubleLeadingDot() {
        let cookie = SetCookie(parsing: "__content-typeth=/; Domain=..com")
        #expect(cookie.domain == ".com")
        #expect(SetCookie(parsing: "a=b; Domain=.Example.COM").domain == "example.com")
        #expect(SetCookie(parsing: "a=b; Domain=.").domain == nil)
    }
}
