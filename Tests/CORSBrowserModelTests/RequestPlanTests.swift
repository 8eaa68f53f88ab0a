import CORSBrowserModel
import HTTPTypes
import Testing

@Suite("Planning: methods, headers, preflight and the requests on the wire (fetch.bs 1.1, 1.2)")
struct RequestPlanTests {
    // MARK: Methods

    @Test(
        "Normalize a method (L587): only DELETE/GET/HEAD/OPTIONS/POST/PUT are uppercased",
        arguments: [
            ("get", "GET"), ("post", "POST"), ("Delete", "DELETE"), ("options", "OPTIONS"), ("head", "HEAD"),
            ("put", "PUT"), ("patch", "patch"), ("PaTcH", "PaTcH"), ("PATCH", "PATCH"), ("query", "query"),
        ])
    func methodNormalization(written: String, sent: String) throws {
        let plan = try makePlan(method: written)
        #expect(plan.request.method.rawValue == sent)
        #expect(plan.actualRequest.method.rawValue == sent)
    }

    @Test("Forbidden methods throw like fetch() does", arguments: ["trace", "CONNECT", "Track"])
    func forbiddenMethod(method: String) {
        #expect(throws: PageRequestError.forbiddenMethod(method)) {
            try PageRequest(url: "https://api.example.com/", origin: appOrigin, method: method)
        }
        #expect(
            PageRequestError.forbiddenMethod("trace").description
                == "Failed to execute 'fetch' on 'Window': 'trace' HTTP method is unsupported.")
    }

    @Test("Invalid inputs throw the matching error")
    func invalidInputs() {
        #expect(throws: PageRequestError.invalidMethod("bad method")) {
            try PageRequest(url: "https://api.example.com/", origin: appOrigin, method: "bad method")
        }
        #expect(throws: PageRequestError.invalidURL("file:///etc/passwd")) {
            try PageRequest(url: "file:///etc/passwd", origin: appOrigin)
        }
        #expect(throws: PageRequestError.invalidOrigin("app.example.com")) {
            try PageRequest(url: "https://api.example.com/", origin: "app.example.com")
        }
    }

    @Test("Misuse: lowercase 'patch' is sent as is and warned about")
    func lowercasePatch() throws {
        let plan = try makePlan(method: "patch")
        #expect(plan.preflightRequest?.headerFields[.accessControlRequestMethod] == "patch")
        #expect(plan.warnings.contains { $0.code == .methodNotNormalized })
    }

    // MARK: Header classification

    @Test(
        "Safelisted, CORS-unsafe and forbidden request headers (L1010, L1097, L1203; Chromium IsCorsSafelistedHeader)",
        arguments: [
            ("Accept", "application/json", ClassifiedHeader.Verdict.safelisted),
            ("Accept", "text/html(x)", .corsUnsafe),
            ("Accept", String(repeating: "a", count: 128), .safelisted),
            ("Accept", String(repeating: "a", count: 129), .corsUnsafe),
            ("Accept-Language", "en-US,en;q=0.9", .safelisted),
            ("Content-Language", "de_DE", .corsUnsafe),
            ("Content-Type", "text/plain;charset=utf-8", .safelisted),
            ("Content-Type", " Text/Plain ; x", .safelisted),
            ("Content-Type", "multipart/form-data; boundary=something", .safelisted),
            ("Content-Type", "application/x-www-form-urlencoded", .safelisted),
            ("Content-Type", "application/json", .corsUnsafe),
            ("Content-Type", "text/plain; charset=\"utf-8\"", .corsUnsafe),
            ("Content-Type", "text / plain", .corsUnsafe),
            ("Content-Type", "text/plain/x", .corsUnsafe),
            ("Content-Type", "application/csp-report", .corsUnsafe),
            ("Range", "bytes=0-", .safelisted),
            ("Range", "bytes=0-5", .safelisted),
            ("Range", "bytes=00-05", .safelisted),
            ("Range", "bytes=-500", .corsUnsafe),
            ("Range", "BYTES=0-5", .corsUnsafe),
            ("Range", "bytes=5-1", .corsUnsafe),
            ("Range", "bytes=0-5,6-7", .corsUnsafe),
            ("Range", "bytes= 0-5", .corsUnsafe),
            ("Range", "bytes=99999999999999999999-", .corsUnsafe),
            ("DPR", "2.0", .safelisted),
            ("Save-Data", "ON", .safelisted),
            ("ECT", "4g", .safelisted),
            ("ECT", "4G", .corsUnsafe),
            ("Width", "100", .safelisted),
            ("Width", "1.5", .corsUnsafe),
            ("Intervention", "anything", .safelisted),
            ("X-Custom", "1", .corsUnsafe),
            ("Authorization", "Bearer t", .corsUnsafe),
            ("Access-Control-Request-Private-Network", "true", .corsUnsafe),
            ("X-Method-Override", "PATCH", .corsUnsafe),
            ("Cookie", "a=b", .forbidden),
            ("Sec-Foo", "1", .forbidden),
            ("Proxy-Authorization", "Basic x", .forbidden),
            ("Origin", "https://evil.example", .forbidden),
            ("Host", "evil.example", .forbidden),
            ("Content-Length", "10", .forbidden),
            ("Access-Control-Request-Headers", "x", .forbidden),
            ("X-HTTP-Method-Override", "TRACE", .forbidden),
            ("X-HTTP-Method", "GET, track", .forbidden),
        ])
    func headerVerdict(name: String, value: String, verdict: ClassifiedHeader.Verdict) throws {
        let plan = try makePlan(headers: [(name, value)])
        #expect(plan.headers.map(\.verdict) == [verdict])
        #expect(plan.headers.first?.lowercasedName == name.lowercased())
        #expect(plan.unsafeHeaderNames == (verdict == .corsUnsafe ? [name.lowercased()] : []))
    }

    @Test("Misuse: forbidden headers set by the page are dropped, with a warning each")
    func forbiddenHeadersDropped() throws {
        let plan = try makePlan(headers: [("Cookie", "sid=1"), ("Origin", "https://evil.example"), ("X-A", "1")])
        #expect(plan.droppedHeaders.map(\.lowercasedName) == ["cookie", "origin"])
        #expect(plan.warnings.filter { $0.code == .forbiddenHeaderDropped }.count == 2)
        #expect(plan.actualRequest.headerFields[.cookie] == nil)
        #expect(plan.actualRequest.headerFields[.origin] == "https://app.example.com")
        #expect(plan.unsafeHeaderNames == ["x-a"])
    }

    @Test("XMLHttpRequest warnings quote Chrome's 'Refused to set unsafe header' line")
    func xhrRefusedHeader() throws {
        let plan = try makePlan(headers: [("Cookie", "a=b")], initiator: .xmlHttpRequest)
        let warning = try #require(plan.warnings.first { $0.code == .forbiddenHeaderDropped })
        #expect(warning.message.hasSuffix("Chrome's console shows: Refused to set unsafe header \"Cookie\""))
    }

    @Test("Unsafe names are lowercased, de-duplicated and byte-sorted (L1111)")
    func unsafeNamesSorted() throws {
        let plan = try makePlan(
            method: "PUT",
            headers: [
                ("X-B", "1"), ("X-A", "2"), ("Content-Type", "application/json"), ("Authorization", "x"), ("x-b", "3"),
            ])
        #expect(plan.unsafeHeaderNames == ["authorization", "content-type", "x-a", "x-b"])
        #expect(plan.headers.first { $0.lowercasedName == "x-b" }?.value == "1, 3")
    }

    @Test("Safelisted values above 1024 bytes in total make every safelisted name unsafe (L1111)")
    func totalSafelistedSize() throws {
        let long = String(repeating: "1", count: 128)
        let plan = try makePlan(headers: [
            ("Accept", long), ("Accept-Language", long), ("Content-Language", long), ("Width", long),
            ("Viewport-Width", long), ("DPR", long), ("Device-Memory", long), ("RTT", long), ("Downlink", "1"),
        ])
        #expect(plan.headers.allSatisfy { $0.verdict == .corsUnsafe })
        #expect(
            plan.unsafeHeaderNames == [
                "accept", "accept-language", "content-language", "device-memory", "downlink", "dpr", "rtt",
                "viewport-width", "width",
            ])
        let justUnder = try makePlan(headers: [("Accept", long), ("Accept-Language", long)])
        #expect(justUnder.unsafeHeaderNames.isEmpty)
    }

    @Test("Chromium-only safelisted client hints are flagged")
    func clientHintWarning() throws {
        let plan = try makePlan(headers: [("DPR", "2")])
        #expect(!plan.needsPreflight)
        #expect(plan.warnings.contains { $0.code == .chromiumOnlySafelistedHeader })
    }

    // MARK: Preflight trigger and request

    @Test(
        "Preflight trigger (L5030): non-safelisted method, an unsafe header, or the use-CORS-preflight flag",
        arguments: [
            ("GET", [(String, String)](), false, false),
            ("HEAD", [], false, false),
            ("POST", [("Content-Type", "text/plain")], false, false),
            ("POST", [("Content-Type", "application/json")], false, true),
            ("PUT", [], false, true),
            ("DELETE", [], false, true),
            ("patch", [], false, true),
            ("GET", [("X-Requested-With", "XMLHttpRequest")], false, true),
            ("GET", [], true, true),
        ])
    func preflightTrigger(method: String, headers: [(String, String)], forced: Bool, expected: Bool) throws {
        let plan = try makePlan(method: method, headers: headers, forcesPreflight: forced)
        #expect(plan.needsPreflight == expected)
        #expect(plan.preflightReasons.isEmpty == !expected)
    }

    @Test("The exact preflight request (L7023; CreatePreflightRequest; measured field order)")
    func exactPreflight() throws {
        let plan = try makePlan(
            url: "https://api.example.com/me?x=1", method: "put",
            headers: [("Authorization", "Bearer t"), ("Content-Type", "application/json"), ("X-B", "1"), ("Cookie", "a=b")],
            credentials: .include)
        let preflight = try #require(plan.preflightRequest)
        #expect(preflight.method == .options)
        #expect(preflight.scheme == "https")
        #expect(preflight.authority == "api.example.com")
        #expect(preflight.path == "/me?x=1")
        #expect(
            pairs(preflight.headerFields) == [
                "Accept: */*",
                "Access-Control-Request-Method: PUT",
                "Access-Control-Request-Headers: authorization,content-type,x-b",
                "Origin: https://app.example.com",
                "Sec-Fetch-Mode: cors",
            ])
        // Never credentials on a preflight, even for include.
        #expect(preflight.headerFields[.cookie] == nil)
        #expect(preflight.headerFields[.authorization] == nil)
    }

    @Test("Access-Control-Request-Headers is omitted when no name is unsafe")
    func preflightWithoutRequestHeaders() throws {
        let plan = try makePlan(url: "https://api.example.com:8443/me", method: "DELETE")
        let preflight = try #require(plan.preflightRequest)
        #expect(preflight.authority == "api.example.com:8443")
        #expect(
            pairs(preflight.headerFields) == [
                "Accept: */*", "Access-Control-Request-Method: DELETE", "Origin: https://app.example.com",
                "Sec-Fetch-Mode: cors",
            ])
    }

    @Test("Sec-Fetch-Mode: always on the preflight, on the actual request only to trustworthy URLs (measured)")
    func fetchMetadata() throws {
        let secFetchMode = try #require(HTTPField.Name("Sec-Fetch-Mode"))
        let plain = try makePlan(url: "http://api.example.com/me", origin: "http://app.example.com", method: "PUT")
        #expect(plain.preflightRequest?.headerFields[secFetchMode] == "cors")
        #expect(plain.actualRequest.headerFields[secFetchMode] == nil)
        let local = try makePlan(url: "http://127.0.0.1:8080/me", origin: "http://127.0.0.1:5173", method: "PUT")
        #expect(local.preflightRequest?.headerFields[secFetchMode] == "cors")
        #expect(local.actualRequest.headerFields[secFetchMode] == "cors")
    }

    @Test("The actual request: surviving script headers, default Accept, Origin, Sec-Fetch-Mode")
    func exactActualRequest() throws {
        let plan = try makePlan(
            method: "PUT", headers: [("Authorization", "Bearer t"), ("Content-Type", "application/json"), ("Cookie", "a")])
        #expect(plan.actualRequest.method == .put)
        #expect(plan.actualRequest.path == "/me")
        #expect(
            pairs(plan.actualRequest.headerFields) == [
                "Authorization: Bearer t", "Content-Type: application/json", "Accept: */*",
                "Origin: https://app.example.com", "Sec-Fetch-Mode: cors",
            ])
    }

    @Test("Same-origin requests need no CORS: no preflight, and Origin only for non-GET/HEAD")
    func sameOrigin() throws {
        let get = try makePlan(url: "https://app.example.com/api", headers: [("X-Custom", "1")])
        #expect(!get.isCrossOrigin)
        #expect(!get.needsPreflight)
        #expect(get.actualRequest.headerFields[.origin] == nil)
        #expect(get.request.sendsCredentials)
        let put = try makePlan(url: "https://app.example.com/api", method: "PUT", headers: [("X-Custom", "1")])
        #expect(!put.needsPreflight)
        #expect(put.actualRequest.headerFields[.origin] == "https://app.example.com")
    }

    @Test("A null page origin is cross-origin with everything and sends Origin: null")
    func opaqueOrigin() throws {
        let plan = try makePlan(origin: "null", method: "PUT")
        #expect(plan.isCrossOrigin)
        #expect(plan.serializedOrigin == "null")
        #expect(plan.preflightRequest?.headerFields[.origin] == "null")
    }

    @Test("Credentials: only include sends them cross-origin, and a warning says so otherwise")
    func credentials() throws {
        #expect(try makePlan(credentials: .include).request.sendsCredentials)
        let sameOriginMode = try makePlan(credentials: .sameOrigin)
        #expect(!sameOriginMode.request.sendsCredentials)
        #expect(sameOriginMode.warnings.contains { $0.code == .credentialsNotSent })
        #expect(!(try makePlan(credentials: .omit).request.sendsCredentials))
        #expect(CredentialsMode.sameOrigin.rawValue == "same-origin")
    }

    @Test("A public page reaching a loopback or private address gets the Local Network Access warning")
    func localNetworkAccess() throws {
        #expect(try makePlan(url: "http://localhost:8080/me").warnings.contains { $0.code == .localNetworkAccess })
        #expect(try makePlan(url: "http://192.168.1.20/me").warnings.contains { $0.code == .localNetworkAccess })
        let local = try makePlan(url: "http://127.0.0.1:8080/me", origin: "http://localhost:5173")
        #expect(!local.warnings.contains { $0.code == .localNetworkAccess })
    }
}
