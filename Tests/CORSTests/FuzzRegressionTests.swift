import HTTPTypes
import Testing

@testable import CORS

// Inputs found by the fuzz targets in Fuzz/ (Fuzz/README.md), kept as ordinary tests so that
// the rules they pin down hold without running a fuzzer. Each names the target and what broke.

@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    /// FuzzOrigins: a fix-it must be a spelling the validator accepts as it is. The entry
    /// `https://app.example.com:8443<U+FFFD…>com:8443<U+FFFD…>` (invalid UTF-8 in the fuzzer's
    /// bytes) was taken apart at its last ':' and "corrected" into
    /// `https://app.example.com:8443<U+FFFD…>com`, which is refused in turn.
    @Test(
        "a suggested spelling is always accepted as it is",
        arguments: [
            "https://app.example.com:8443\u{FFFD}\u{FFFD}com:8443\u{FFFD}\u{FFFD}",
            "https://a.example:1x.b:1x",
            "HTTPS://exa mple.com",
            "https://app.example.com..",
            "https://app.example.com...:443/",
        ])
    func suggestionIsAccepted(_ written: String) {
        let problems = CORSPolicy.problems(allowOrigins: [written])
        #expect(problems.contains { $0.severity == .error })
        for problem in problems {
            guard let range = problem.fix.firstRange(of: "did you mean ") else { continue }
            let suggested = String(problem.fix[range.upperBound...].dropLast())
            #expect(CORSPolicy.problems(allowOrigins: [suggested]).isEmpty, "\(written) → \(suggested)")
        }
    }

    /// FuzzOrigins: every trailing dot goes, so that `https://app.example.com..` gets a useful
    /// suggestion instead of `https://app.example.com.` (itself refused).
    @Test("several trailing dots: the suggestion removes them all")
    func trailingDots() {
        let problems = CORSPolicy.problems(allowOrigins: ["https://app.example.com.."])
        #expect(problems.map(\.code) == [.originInvalidHost])
        #expect(problems.first?.fix.hasSuffix("did you mean https://app.example.com?") == true)
    }

    /// FuzzOrigins: `http://[::0]:8080` was accepted, but browsers send that origin as
    /// `http://[::]:8080`, so the entry could never match. IPv6 literals must now be written as
    /// browsers serialize them, and the fix-it says how.
    @Test(
        "IPv6 literals are accepted only in the form browsers send",
        arguments: [
            ("http://[::0]:8080", "http://[::]:8080"),
            ("http://[0:0::1]", "http://[::1]"),
            ("http://[0000:0:0:0:0:0:0:1]:3000", "http://[::1]:3000"),
            ("https://[2001:db8:0:0:1:0:0:1]", "https://[2001:db8::1:0:0:1]"),
            ("https://[1:0:0:0:0:0:0:0]", "https://[1::]"),
            ("https://[::ffff:192.0.2.1]", "https://[::ffff:c000:201]"),
            ("https://[1:2:3:4:5:6:7::]", "https://[1:2:3:4:5:6:7:0]"),
        ])
    func ipv6(_ written: String, _ browserForm: String) {
        let problems = CORSPolicy.problems(allowOrigins: [written])
        #expect(problems.map(\.code) == [.originInvalidHost], "\(problems)")
        #expect(problems.first?.fix.hasSuffix("did you mean \(browserForm)?") == true, "\(problems)")
        #expect(CORSPolicy.problems(allowOrigins: [browserForm]).isEmpty)
    }

    @Test(
        "not IPv6 literals at all",
        arguments: ["http://[1]", "http://[1:2:3:4:5:6:7:8:9]", "http://[1::2::3]", "http://[:1::]", "http://[1.2.3.4::]",
            "http://[::1.2.3]", "http://[12345::]", "http://[::01.2.3.4]"])
    func notIPv6(_ written: String) {
        #expect(CORSPolicy.problems(allowOrigins: [written]).map(\.code) == [.originInvalidHost])
    }

    /// FuzzOrigins (same round trip): a host whose last label is a `0x` number is an IPv4
    /// address to a URL parser (`https://0x7f.1` is `https://127.0.0.1`), so as an origin it is
    /// refused instead of being taken for a domain name.
    @Test("hosts ending in a hexadecimal number are IPv4 addresses, not domains", arguments: ["https://0x1", "https://a.0x1f", "https://0x7f.0.0.1", "https://a.0x"])
    func hexadecimalHosts(_ written: String) {
        #expect(CORSPolicy.problems(allowOrigins: [written]).map(\.code) == [.originInvalidHost])
    }
}
