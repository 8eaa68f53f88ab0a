// Fuzzes the browser model's reading of responses: arbitrary Access-Control-Allow-Origin,
// -Allow-Credentials, -Allow-Methods, -Allow-Headers, -Expose-Headers, -Max-Age and Set-Cookie
// values through RequestPlan.evaluatePreflight / evaluateResponse, PreflightMaxAge and
// SetCookie(parsing:), each verdict checked against an oracle written from the Fetch rules.
//
// Input: [credentials] [method] [headers] [status] [origin/url] then lines, each
// [field selector byte] value…
import CORSBrowserModel
import FuzzSupport
import HTTPTypes

private let methods = ["GET", "PUT", "patch", "DELETE", "POST", "X-Custom", "HEAD", "put"]
private let statuses = [200, 204, 299, 300, 301, 302, 303, 307, 308, 400, 401, 403, 404, 500, 199, 100]
private let pageOrigins = ["https://app.example.com", "http://localhost:5173", "null"]
private let responseNames: [HTTPField.Name] = [
    .accessControlAllowOrigin, .accessControlAllowCredentials, .accessControlAllowMethods,
    .accessControlAllowHeaders, .accessControlExposeHeaders, .accessControlMaxAge, .setCookie, .location,
    .vary, HTTPField.Name("X-Request-Id")!, .contentType, HTTPField.Name("Set-Cookie2")!,
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBrowserResponse(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = FuzzInput(data, size)
    let credentials = input.pick(CredentialsMode.allCases)
    let method = input.pick(methods)
    let headerBits = input.byte()
    let status = input.pick(statuses)
    let originBits = input.byte()
    var requestFields = HTTPFields()
    if headerBits & 1 != 0 { requestFields[.authorization] = "Bearer t" }
    if headerBits & 2 != 0 { requestFields[HTTPField.Name("X-Custom")!] = "1" }
    if headerBits & 4 != 0 { requestFields[.contentType] = "application/json" }
    if headerBits & 8 != 0 { requestFields[HTTPField.Name("X-Other")!] = "2" }
    let pageOrigin = pageOrigins[Int(originBits & 3) % pageOrigins.count]
    let url = originBits & 4 != 0 ? "https://app.example.com/me" : "https://api.example.com/me"
    guard
        let request = try? PageRequest(
            url: url, origin: pageOrigin, method: method, headerFields: requestFields, credentials: credentials,
            forcesPreflight: originBits & 8 != 0)
    else { return 0 }
    let plan = RequestPlan(request)

    var responseFields = HTTPFields()
    for line in input.segments().prefix(24) {
        guard let selector = line.first else { continue }
        let name = responseNames[Int(selector) % responseNames.count]
        responseFields.append(HTTPField(name: name, lenientValue: line.dropFirst()))
    }
    let response = HTTPResponse(status: HTTPResponse.Status(code: status), headerFields: responseFields)

    let passesCheck = corsCheckPasses(responseFields, origin: request.serializedOrigin, credentials: credentials)
    checkPreflight(plan, response, passesCheck: passesCheck)
    checkResponse(plan, response, passesCheck: passesCheck)
    for value in Bytes.values(.accessControlMaxAge, in: responseFields) {
        checkMaxAge(String(lossy: value))
    }
    for value in Bytes.values(.setCookie, in: responseFields) {
        checkSetCookie(String(lossy: value))
    }
    return 0
}

/// The CORS check (fetch.bs): ACAO lines trimmed and joined must be `*` (not with `include`)
/// or byte-equal to the request's origin, and with `include` ACAC must be exactly `true`.
private func corsCheckPasses(_ fields: HTTPFields, origin: String, credentials: CredentialsMode) -> Bool {
    guard let allowOrigin = Bytes.combined(.accessControlAllowOrigin, in: fields) else { return false }
    if allowOrigin == Bytes.of("*") { return credentials != .include }
    guard allowOrigin == Bytes.of(origin) else { return false }
    return credentials != .include || Bytes.combined(.accessControlAllowCredentials, in: fields) == Bytes.of("true")
}

private func checkPreflight(_ plan: RequestPlan, _ response: HTTPResponse, passesCheck: Bool) {
    let evaluation = plan.evaluatePreflight(response)
    let fields = response.headerFields
    let credentials = plan.request.credentials
    let context = "\(plan.request.method.rawValue) \(credentials) from \(plan.serializedOrigin), \(response.status.code) \(fields.map(\.description))"
    if let failure = evaluation.failure {
        require(evaluation.consoleMessage.map { !$0.isEmpty } ?? false, "preflight failure \(failure) without a console message")
    }
    let methods = Bytes.combined(.accessControlAllowMethods, in: fields).map { Bytes.tokenList($0) } ?? []
    let headers = Bytes.combined(.accessControlAllowHeaders, in: fields).map { Bytes.tokenList($0) } ?? []
    var expected = passesCheck && (200...299).contains(response.status.code)
    if expected, let methods, let headers {
        let method = Bytes.of(plan.request.method.rawValue)
        let lowerHeaders = Set(headers.map { Bytes.lower($0) })
        let anyMethod = credentials != .include && methods.contains(Bytes.of("*"))
        let anyHeader = credentials != .include && lowerHeaders.contains(Bytes.of("*"))
        let methodAllowed =
            methods.contains(method) || [Bytes.of("GET"), Bytes.of("HEAD"), Bytes.of("POST")].contains(method) || anyMethod
        let headersAllowed = anyHeader || plan.unsafeHeaderNames.allSatisfy { lowerHeaders.contains(Bytes.lower(Bytes.of($0))) }
        expected = methodAllowed && headersAllowed
    } else {
        expected = false
    }
    require(evaluation.isAllowed == expected, "preflight verdict \(evaluation.isAllowed), oracle \(expected): \(context); \(evaluation.result)")
    if credentials == .include && Bytes.combined(.accessControlAllowOrigin, in: fields) == Bytes.of("*") {
        require(!evaluation.isAllowed, "credentialed preflight allowed with ACAO *: \(context)")
    }
    if let grant = evaluation.grant {
        require(!(credentials == .include && (grant.allowsAnyMethod || grant.allowsAnyHeader)), "wildcard grant with credentials")
        require((0...7200).contains(grant.maxAge.seconds), "max-age \(grant.maxAge.seconds)")
        require(grant.allowedHeaderNames == grant.allowedHeaderNames.map { String(lossy: Bytes.lower(Bytes.of($0))) }, "header names not lowercased")
    }
}

private func checkResponse(_ plan: RequestPlan, _ response: HTTPResponse, passesCheck: Bool) {
    let evaluation = plan.evaluateResponse(response)
    let fields = response.headerFields
    let credentials = plan.request.credentials
    let context = "\(plan.request.method.rawValue) \(credentials) from \(plan.serializedOrigin), \(fields.map(\.description))"
    let crossOrigin = plan.isCrossOrigin
    require(evaluation.isAllowed == (!crossOrigin || passesCheck), "response verdict \(evaluation.isAllowed), oracle \(passesCheck): \(context)")
    if credentials == .include && crossOrigin && Bytes.combined(.accessControlAllowOrigin, in: fields) == Bytes.of("*") {
        require(!evaluation.isAllowed, "credentialed response readable with ACAO *: \(context)")
    }
    if evaluation.failure != nil {
        require(evaluation.consoleMessage.map { !$0.isEmpty } ?? false, "response failure without a console message")
    }
    guard let readable = evaluation.readable else { return }
    let all = Set(fields.map(\.name.canonicalName))
    require(Set(readable.readableHeaderNames).union(readable.hiddenHeaderNames) == all, "readable + hidden ≠ all names: \(context)")
    require(Set(readable.readableHeaderNames).isDisjoint(with: readable.hiddenHeaderNames), "a name both readable and hidden")
    require(!readable.readableHeaderNames.contains("set-cookie") && !readable.readableHeaderNames.contains("set-cookie2"), "Set-Cookie readable: \(context)")
    if credentials == .include { require(!readable.exposesAllHeaders, "expose * honoured with credentials: \(context)") }
    guard crossOrigin, !readable.exposesAllHeaders else { return }
    var exposed: Set<[UInt8]> = Set(["cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma"].map(Bytes.of))
    if let list = Bytes.combined(.accessControlExposeHeaders, in: fields).flatMap({ Bytes.tokenList($0) }) {
        exposed.formUnion(list.map { Bytes.lower($0) })
    }
    for name in readable.readableHeaderNames {
        require(exposed.contains(Bytes.of(name)), "\(name) readable but not exposed: \(context)")
    }
}

/// Chromium's `ParseAccessControlMaxAge`: optional sign, digits only, Int64; negative → 0,
/// invalid → 5, capped at 7200.
private func checkMaxAge(_ value: String) {
    let trimmed = String(lossy: Bytes.trimOWS(Bytes.of(value)))
    let maxAge = PreflightMaxAge(headerValue: trimmed)
    var digits = Substring(trimmed)
    var negative = false
    if let sign = digits.first, sign == "+" || sign == "-" {
        negative = sign == "-"
        digits = digits.dropFirst()
    }
    let expected: Int
    if !digits.isEmpty, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let magnitude = Int64(digits) {
        expected = negative && magnitude > 0 ? 0 : Int(min(magnitude, 7200))
    } else {
        expected = 5
    }
    require(maxAge.seconds == expected, "Max-Age \(show(trimmed)) gives \(maxAge.seconds), expected \(expected)")
}

private func checkSetCookie(_ value: String) {
    let cookie = SetCookie(parsing: value)
    let verdict = cookie.crossSiteVerdict
    require(!verdict.explanation.isEmpty, "cookie verdict without an explanation")
    require(!cookie.name.utf8.contains(UInt8(ascii: ";")) && !cookie.value.utf8.contains(UInt8(ascii: ";")), "';' in a cookie's name or value")
    if verdict.isSentCrossSite {
        require(cookie.sameSite == SetCookie.SameSite.none && cookie.isSecure, "cookie sent cross-site without SameSite=None; Secure: \(show(value))")
        require(!(cookie.name.isEmpty && cookie.value.isEmpty), "empty cookie sent")
        require(cookie.name.utf8.count + cookie.value.utf8.count <= 4096, "oversized cookie sent")
        if cookie.name.hasPrefix("__Host-") { require(cookie.domain == nil && cookie.path == "/", "__Host- cookie with Domain or Path") }
    }
    if cookie.sameSite == SetCookie.SameSite.none && !cookie.isSecure {
        require(verdict.outcome == .rejected, "SameSite=None without Secure not rejected: \(show(value))")
    }
    if let domain = cookie.domain {
        // RFC 6265bis §5.6.3 drops one leading dot (`Domain=..com` leaves `.com`, which then
        // domain-matches nothing).
        require(!domain.isEmpty && !domain.utf8.contains { (0x41...0x5A).contains($0) }, "domain \(show(domain))")
    }
    if let path = cookie.path { require(path.hasPrefix("/"), "path \(show(path))") }
}
