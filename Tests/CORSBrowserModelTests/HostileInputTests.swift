import CORSBrowserModel
import HTTPTypes
import Testing
import CORSTestSupport

@Suite("Hostile input: parsers are bounded and never crash")
struct HostileInputTests {
    static let pieces: [String] = [
        ",", ",,", "\"", ":", "/", "//", "\\", "[", "]", "%", "%2e", "%zz", "@", "0", "0x", "7f", ".", "..", "\t", " ", "\u{E9}",
        "\u{1}", "\u{7F}", "\u{301}", "*", ";", "=", "-", "bytes=", "https://", "http:", "null", "[::", "::1]", ":65536",
        "a", "Z", "9", "?", "#", "SameSite=None", "Secure", "true", "PUT", "x-a",
    ]

    static func randomString(_ generator: inout SplitMix64, maximumPieces: Int = 24) -> String {
        let count = Int(generator.next() % UInt64(maximumPieces))
        return (0..<count).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
    }

    @Test("Random inputs through every parser and evaluator")
    func randomInputs() throws {
        var generator = SplitMix64(seed: 0xC0125)
        let base = try #require(WebURL("https://api.example.com/a/b?c"))
        for _ in 0..<3000 {
            let text = Self.randomString(&generator)
            if let url = WebURL(text) {
                // A parsed URL re-parses to itself.
                #expect(WebURL(url.serialized) == url)
            }
            _ = WebURL(text, relativeTo: base)
            if let origin = WebOrigin(text) {
                #expect(!origin.serialized.hasSuffix("/"))
            }
            _ = SetCookie(parsing: text).crossSiteVerdict
            _ = PreflightMaxAge(headerValue: text)

            let plan = try makePlan(
                method: "PUT", headers: [("X-A", Self.randomString(&generator)), ("Content-Type", text)],
                credentials: CredentialsMode.allCases[Int(generator.next() % 3)])
            let responseHeaders = [
                ("Access-Control-Allow-Origin", Self.randomString(&generator)),
                ("Access-Control-Allow-Credentials", Self.randomString(&generator)),
                ("Access-Control-Allow-Methods", Self.randomString(&generator)),
                ("Access-Control-Allow-Headers", Self.randomString(&generator)),
                ("Access-Control-Expose-Headers", Self.randomString(&generator)),
                ("Access-Control-Max-Age", Self.randomString(&generator)),
                ("Location", text),
            ]
            let status = [200, 204, 301, 302, 303, 307, 308, 404, 500][Int(generator.next() % 9)]
            let preflight = plan.evaluatePreflight(response(status, responseHeaders))
            #expect(preflight.isAllowed == (preflight.consoleMessage == nil))
            _ = plan.evaluateResponse(response(status, responseHeaders))
            _ = plan.followRedirect(response(status, responseHeaders))
        }
    }

    @Test("Huge values stay linear: a megabyte of commas, a 3 MB URL, thousands of list elements")
    func hugeValues() throws {
        let commas = String(repeating: ",", count: 1 << 20)
        let manyMethods = String(repeating: "PUT,", count: 50_000)
        let plan = try makePlan(method: "PUT", headers: [("X-A", commas)])
        #expect(plan.unsafeHeaderNames == ["x-a"])
        let evaluation = plan.evaluatePreflight(
            response(
                204,
                [
                    ("Access-Control-Allow-Origin", "https://app.example.com"), ("Access-Control-Allow-Methods", manyMethods),
                    ("Access-Control-Allow-Headers", commas + "x-a"), ("Access-Control-Max-Age", String(repeating: "9", count: 100_000)),
                ]))
        #expect(evaluation.isAllowed)
        #expect(evaluation.grant?.maxAge.seconds == 5)
        #expect(WebURL("https://a.example/" + String(repeating: "a", count: 3 << 20)) == nil)
        #expect(WebURL("https://a.example/" + String(repeating: "../", count: 100_000))?.serialized == "https://a.example/")
        #expect(WebURL("http://" + String(repeating: "1.", count: 10_000) + "1/") == nil)
        #expect(SetCookie(parsing: String(repeating: ";", count: 1 << 20)).crossSiteVerdict.outcome == .rejected)
        let origin = String(repeating: "https://a.example ", count: 10_000)
        #expect(
            CORSCheck.evaluate(fields([("Access-Control-Allow-Origin", origin)]), serializedOrigin: appOrigin, credentials: .omit)?
                .reason == .multipleAllowOriginValues)
    }
}
