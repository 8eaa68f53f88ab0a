import Testing

@testable import CORS

@Suite("Origin spelling")
struct OriginSpellingTests {
    @Test(
        "every misspelling of an origin is refused with the spelling a browser sends",
        arguments: [
            ("https://app.example.com/", ["origin-trailing-slash"], "https://app.example.com"),
            ("https://app.example.com/login", ["origin-path"], "https://app.example.com"),
            ("https://app.example.com/?next=/", ["origin-trailing-slash", "origin-query"], "https://app.example.com"),
            ("https://app.example.com?x", ["origin-query"], "https://app.example.com"),
            ("https://app.example.com#x", ["origin-fragment"], "https://app.example.com"),
            ("https://app.example.com/a?b#c", ["origin-path", "origin-query", "origin-fragment"], "https://app.example.com"),
            ("https://u@app.example.com", ["origin-userinfo"], "https://app.example.com"),
            ("https://u:p@app.example.com:8443", ["origin-userinfo"], "https://app.example.com:8443"),
            ("app.example.com", ["origin-missing-scheme"], "https://app.example.com"),
            ("app.example.com:8443", ["origin-missing-scheme"], "https://app.example.com:8443"),
            ("localhost:5173", ["origin-missing-scheme"], "http://localhost:5173"),
            ("127.0.0.1:8080", ["origin-missing-scheme"], "http://127.0.0.1:8080"),
            ("HTTPS://APP.EXAMPLE.COM", ["origin-uppercase"], "https://app.example.com"),
            ("https://app.Example.com", ["origin-uppercase"], "https://app.example.com"),
            ("https://app.example.com:443", ["origin-default-port"], "https://app.example.com"),
            ("http://app.example.com:80", ["origin-default-port"], "http://app.example.com"),
            ("http://localhost:80", ["origin-default-port"], "http://localhost"),
            ("https://app.example.com:0443", ["origin-default-port"], "https://app.example.com"),
            (" https://app.example.com", ["origin-whitespace"], "https://app.example.com"),
            ("https://app.example.com\n", ["origin-whitespace"], "https://app.example.com"),
            ("https://app.example.com.", ["origin-invalid-host"], "https://app.example.com"),
            (
                " HTTPS://App.Example.com:443/ ",
                ["origin-whitespace", "origin-uppercase", "origin-trailing-slash", "origin-default-port"],
                "https://app.example.com"
            ),
        ])
    func suggestion(_ written: String, _ codes: [String], _ suggestion: String) {
        let problems = PolicyInput(allowOrigins: ["https://ok.example.com", written]).problems()
        #expect(problems.map(\.code.rawValue) == codes)
        #expect(problems.allSatisfy { $0.path == "allowOrigins[1]" && $0.severity == .error })
        for problem in problems {
            #expect(problem.fix.hasSuffix(": did you mean \(suggestion)?"), "fix was: \(problem.fix)")
        }
    }

    @Test(
        "no suggestion when there is nothing better to suggest",
        arguments: [
            ("https://exämple.com", "origin-invalid-host"),
            ("https://app..example.com", "origin-invalid-host"),
            ("https://", "origin-invalid-host"),
            ("https://app example.com", "origin-invalid-host"),
            ("https://256.1.1.1", "origin-invalid-host"),
            ("ht tp://app.example.com", "origin-invalid-scheme"),
            ("file://", "origin-opaque-scheme"),
        ])
    func noSuggestion(_ written: String, _ code: String) {
        let problems = PolicyInput(allowOrigins: [written]).problems()
        #expect(problems.map(\.code.rawValue) == [code])
        #expect(!(problems.first?.fix.contains("did you mean") ?? true), "fix was: \(problems.first?.fix ?? "")")
    }

    @Test("a file: URL is never 'corrected' into another file: origin")
    func fileURL() {
        let problems = PolicyInput(allowOrigins: ["file:///home/me/index.html"]).problems()
        #expect(problems.map(\.code) == [.originPath, .originOpaqueScheme])
        for problem in problems {
            #expect(!problem.fix.contains("did you mean file:"), "fix was: \(problem.fix)")
        }
        #expect(problems.last?.fix == "serve the page from http://localhost instead, and allow that origin.")
    }

    @Test("an invalid scheme is never 'corrected' into an origin with that scheme")
    func invalidSchemeWithOtherFindings() {
        let problems = PolicyInput(allowOrigins: ["HT_TP://App.example.com/"]).problems()
        #expect(problems.map(\.code) == [.originInvalidScheme, .originUppercase, .originTrailingSlash])
        for problem in problems {
            #expect(!problem.fix.contains("did you mean"), "fix was: \(problem.fix)")
        }
    }

    @Test(
        "serialized origins are accepted as written",
        arguments: [
            "https://app.example.com", "http://localhost:5173", "https://app.example.com:8443",
            "http://127.0.0.1:8080", "http://[::1]:8080", "https://xn--bcher-kva.example", "https://a-b.c_d.example",
            "https://10.0.0.1", "http://localhost", "https://app.example.com:65535",
        ])
    func accepted(_ written: String) {
        let spelling = OriginSpelling(written)
        #expect(spelling.findings == [])
        #expect(spelling.canonical == written)
        #expect(codesAndPaths(PolicyInput(allowOrigins: [written]).problems()) == [])
    }

    @Test(
        "parts of a spelling",
        arguments: [
            ("https://app.example.com:8443", "https", "app.example.com", "8443", 8443),
            ("https://app.example.com:443", "https", "app.example.com", "443", nil),
            ("HTTP://LOCALHOST:5173/", "http", "localhost", "5173", 5173),
            ("http://[::1]:3000", "http", "[::1]", "3000", 3000),
            ("app.example.com", "https", "app.example.com", nil, nil),
        ] as [(String, String, String, String?, Int?)])
    func parts(_ written: String, _ scheme: String, _ host: String, _ portText: String?, _ port: Int?) {
        let spelling = OriginSpelling(written)
        #expect(spelling.scheme == scheme)
        #expect(spelling.host == host)
        #expect(spelling.portText == portText)
        #expect(spelling.port == port)
    }

    @Test("a second misspelled origin is reported at its own index")
    func paths() {
        let problems = PolicyInput(
            allowOrigins: ["https://app.example.com/", "https://ok.example.com", "https://api.example.com:443"]
        ).problems()
        #expect(codesAndPaths(problems) == ["origin-trailing-slash@allowOrigins[0]", "origin-default-port@allowOrigins[2]"])
        #expect(problems.last?.fix == "remove the port: did you mean https://api.example.com?")
    }
}
