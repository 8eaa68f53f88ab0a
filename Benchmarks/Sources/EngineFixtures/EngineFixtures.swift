public import CORS
public import HTTPTypes

/// Policies and requests for the engine benchmarks, all built once before any measurement.
public struct EngineFixtures: Sendable {
    public init() {}

    /// The tutorial's policy: two exact origins, credentials, four methods, two headers,
    /// `X-Request-Id` exposed, max-age 600.
    public let tutorialEngine = CORSEngine(policy: .tutorial)

    /// 50 exact origins and the pattern `https://*.example.com`.
    public let patternEngine: CORSEngine = {
        let exact = (0..<50).map { "https://app\($0).example.org" }
        // The literal is valid; a failure here is a bug in the benchmark.
        // swiftlint:disable:next force_try
        let policy = try! CORSPolicy(
            allowOrigins: exact,
            allowOriginPatterns: ["https://*.example.com"],
            allowCredentials: true,
            allowMethods: ["GET", "POST", "PUT", "DELETE"],
            allowHeaders: ["Authorization", "Content-Type"],
            exposeHeaders: ["X-Request-Id"],
            maxAge: 600
        )
        return CORSEngine(policy: policy)
    }()

    public let actualTrusted = Self.request(.get, origin: "https://app.example.com")
    public let actualUntrusted = Self.request(.get, origin: "https://evil.example.net")
    public let actualNoOrigin = Self.request(.get, origin: nil)
    public let actualPatternMatched = Self.request(.get, origin: "https://tenant42.example.com")
    public let actualExactAmongMany = Self.request(.get, origin: "https://app49.example.org")

    public let preflightAllowed = Self.preflight(
        origin: "https://app.example.com", method: "PUT", headers: ["authorization, content-type"])
    public let preflightAllowedNoHeaders = Self.preflight(origin: "https://app.example.com", method: "DELETE", headers: [])
    public let preflightUntrusted = Self.preflight(
        origin: "https://evil.example.net", method: "PUT", headers: ["authorization, content-type"])
    public let preflightHeaderNotAllowed = Self.preflight(
        origin: "https://app.example.com", method: "PUT", headers: ["authorization, x-custom-header"])
    public let preflightCommas6000 = Self.preflight(
        origin: "https://app.example.com", method: "PUT", headers: [String(repeating: ",", count: 6_000)])
    public let preflightCommas4000 = Self.preflight(
        origin: "https://app.example.com", method: "PUT", headers: [String(repeating: ",", count: 4_000)])
    public let preflightOneMegabyte = Self.preflight(
        origin: "https://app.example.com", method: "PUT",
        headers: [String(repeating: "x-a, ", count: 1_048_576 / 5)])

    /// A browser's request: the fields Chrome sends for `fetch("/me", {credentials: "include"})`.
    public static func request(_ method: HTTPRequest.Method, origin: String?) -> HTTPRequest {
        var fields = HTTPFields()
        fields.append(HTTPField(name: .accept, value: "*/*"))
        fields.append(HTTPField(name: .acceptLanguage, value: "en-GB,en;q=0.9"))
        fields.append(HTTPField(name: .acceptEncoding, value: "gzip, deflate, br, zstd"))
        fields.append(HTTPField(name: .userAgent, value: "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0"))
        fields.append(HTTPField(name: .cookie, value: "session=alice"))
        if let origin { fields.append(HTTPField(name: .origin, value: origin)) }
        fields.append(HTTPField(name: .referer, value: "https://app.example.com/"))
        fields.append(HTTPField(name: HTTPField.Name("Sec-Fetch-Mode")!, value: "cors"))
        return HTTPRequest(
            method: method, scheme: "https", authority: "api.example.com", path: "/me", headerFields: fields)
    }

    /// A browser's preflight, with one `Access-Control-Request-Headers` line per element of `headers`.
    public static func preflight(origin: String, method: String, headers: [String]) -> HTTPRequest {
        var fields = HTTPFields()
        fields.append(HTTPField(name: .accept, value: "*/*"))
        fields.append(HTTPField(name: .acceptLanguage, value: "en-GB,en;q=0.9"))
        fields.append(HTTPField(name: .acceptEncoding, value: "gzip, deflate, br, zstd"))
        fields.append(HTTPField(name: .userAgent, value: "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0"))
        fields.append(HTTPField(name: .accessControlRequestMethod, value: method))
        for value in headers {
            fields.append(HTTPField(name: .accessControlRequestHeaders, value: value))
        }
        fields.append(HTTPField(name: .origin, value: origin))
        fields.append(HTTPField(name: .referer, value: "https://app.example.com/"))
        fields.append(HTTPField(name: HTTPField.Name("Sec-Fetch-Mode")!, value: "cors"))
        return HTTPRequest(
            method: .options, scheme: "https", authority: "api.example.com", path: "/me", headerFields: fields)
    }

    /// A handler's response fields with room to spare, so that any allocation after this one is the
    /// CORS layer's own.
    @inline(never)
    public static func roomyResponseFields() -> HTTPFields {
        var fields = HTTPFields()
        fields.reserveCapacity(8)
        fields.append(HTTPField(name: .contentType, value: "application/json"))
        fields.append(HTTPField(name: requestID, value: "42"))
        return fields
    }

    /// A handler's response fields built from a literal, as the demo server does: exactly two
    /// fields of capacity, so adding CORS fields grows the response's own storage.
    @inline(never)
    public static func tightResponseFields() -> HTTPFields {
        [.contentType: "application/json", requestID: "42"]
    }

    public static let requestID = HTTPField.Name("X-Request-Id")!
}
