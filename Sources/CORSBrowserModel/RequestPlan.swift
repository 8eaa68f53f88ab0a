public import HTTPTypes
import CORSWebSyntax

/// What the browser does before any byte reaches the network: which headers survive, whether
/// a preflight is needed, and the exact preflight and actual requests it sends.
///
/// Create one for a ``PageRequest``, then judge the server's answers with
/// ``evaluatePreflight(_:)`` and ``evaluateResponse(_:)``, and follow redirects with
/// ``followRedirect(_:)``.
public struct RequestPlan: Sendable {
    /// The request this plan is for.
    public let request: PageRequest
    /// Every header the script set, with the browser's verdict on it, in the order first set.
    public let headers: [ClassifiedHeader]
    /// The CORS-unsafe request-header names (fetch.bs L1111): lowercased, de-duplicated and
    /// byte-sorted, exactly as they appear in `Access-Control-Request-Headers`.
    public let unsafeHeaderNames: [String]
    /// Why a preflight is needed, one sentence per cause; empty when none is.
    public let preflightReasons: [String]
    /// The preflight the browser sends first, or `nil` when none is needed.
    public let preflightRequest: HTTPRequest?
    /// The request the browser sends once any preflight has passed.
    public let actualRequest: HTTPRequest
    /// Dropped headers, Chromium-only behaviour and likely mistakes.
    public let warnings: [BrowserWarning]

    /// Whether the CORS protocol applies (the response tainting is "cors"). A same-origin
    /// request that was never redirected elsewhere needs no CORS at all.
    public var isCrossOrigin: Bool {
        request.isCrossOrigin
    }

    /// Whether a preflight is needed (fetch.bs L5030-L5050).
    public var needsPreflight: Bool {
        preflightRequest != nil
    }

    /// The `Origin` the browser sends and the CORS check compares with: the page's origin, or
    /// `null` after a tainting redirect.
    public var serializedOrigin: String {
        request.serializedOrigin
    }

    /// The headers the browser drops because a script may not set them.
    public var droppedHeaders: [ClassifiedHeader] {
        headers.filter { $0.verdict == .forbidden }
    }

    /// Plans `request`.
    public init(_ request: PageRequest) {
        self.request = request
        var warnings: [BrowserWarning] = []
        let (headers, headerWarnings) = Self.classify(request)
        warnings += headerWarnings
        self.headers = headers

        let isCrossOrigin = request.isCrossOrigin
        let unsafeNames = Array(Set(headers.filter { $0.verdict == .corsUnsafe }.map(\.lowercasedName))).sorted()
        self.unsafeHeaderNames = unsafeNames

        var reasons: [String] = []
        if isCrossOrigin {
            if !RequestMethodRules.isSafelisted(request.method.rawValue) {
                reasons.append(
                    "The method \(request.method.rawValue) is not CORS-safelisted (only GET, HEAD and POST are).")
            }
            for header in headers where header.verdict == .corsUnsafe {
                reasons.append("The header '\(header.lowercasedName)' is CORS-unsafe: \(header.reason)")
            }
            if request.forcesPreflight {
                reasons.append("The request has the use-CORS-preflight flag (XMLHttpRequest upload listeners).")
            }
        }
        self.preflightReasons = reasons

        preflightRequest = reasons.isEmpty ? nil : Self.makePreflight(for: request, unsafeNames: unsafeNames)
        actualRequest = Self.makeActualRequest(
            for: request, headers: headers, sendsFetchMetadata: request.url.isPotentiallyTrustworthy)

        warnings += Self.requestWarnings(for: request, headers: headers)
        self.warnings = warnings
    }

    // MARK: Header classification

    private static func classify(_ request: PageRequest) -> ([ClassifiedHeader], [BrowserWarning]) {
        // Combine same-name lines into one header, keeping the order names were first set.
        var order: [String] = []
        var rawNames: [String: String] = [:]
        var values: [String: [String]] = [:]
        for field in request.headerFields {
            let name = field.name.canonicalName
            if values[name] == nil {
                order.append(name)
                rawNames[name] = field.name.rawName
            }
            // `Headers` normalizes a value by stripping leading and trailing whitespace.
            values[name, default: []].append(String(ASCII.trimmingOptionalWhitespace(field.value)))
        }

        var headers: [ClassifiedHeader] = []
        var warnings: [BrowserWarning] = []
        for name in order {
            let rawName = rawNames[name]!
            let value = values[name]!.joined(separator: ", ")
            if let reason = RequestHeaderRules.forbiddenReason(name: name, value: value) {
                headers.append(
                    ClassifiedHeader(name: rawName, lowercasedName: name, value: value, verdict: .forbidden, reason: reason))
                let console =
                    request.initiator == .xmlHttpRequest
                    ? " Chrome's console shows: Refused to set unsafe header \"\(rawName)\""
                    : " fetch() drops it silently."
                warnings.append(BrowserWarning(.forbiddenHeaderDropped, reason + console))
                continue
            }
            switch RequestHeaderRules.safelisting(name: name, value: value) {
            case .safelisted:
                headers.append(
                    ClassifiedHeader(name: rawName, lowercasedName: name, value: value, verdict: .safelisted, reason: ""))
            case .safelistedByChromiumOnly:
                headers.append(
                    ClassifiedHeader(
                        name: rawName, lowercasedName: name, value: value, verdict: .safelisted,
                        reason: "Safelisted by Chromium only (IsCorsSafelistedHeader)."))
            case .unsafe(let reason):
                headers.append(
                    ClassifiedHeader(name: rawName, lowercasedName: name, value: value, verdict: .corsUnsafe, reason: reason))
            }
        }

        // fetch.bs L1111: when the safelisted values together exceed 1024 bytes, every
        // safelisted name becomes CORS-unsafe as well (Chromium: kSafeListValueSizeMax).
        let safelistedTotal = headers.filter { $0.verdict == .safelisted }.reduce(0) { $0 + $1.value.utf8.count }
        if safelistedTotal > RequestHeaderRules.maximumSafelistedTotalLength {
            headers = headers.map { header in
                guard header.verdict == .safelisted else { return header }
                return ClassifiedHeader(
                    name: header.name, lowercasedName: header.lowercasedName, value: header.value, verdict: .corsUnsafe,
                    reason:
                        "The safelisted header values total \(safelistedTotal) bytes, above the 1024-byte limit, so every one counts as CORS-unsafe."
                )
            }
        }
        return (headers, warnings)
    }

    // MARK: The requests on the wire

    /// fetch.bs L7023 "CORS-preflight fetch"; Chromium `CreatePreflightRequest`. Only the
    /// CORS-relevant fields: the network stack also adds Host, Connection, User-Agent, Referer,
    /// Accept-Encoding and, for potentially trustworthy URLs, `Sec-Fetch-Site`/`-Dest` (measured
    /// order on Chromium 156: Accept, Access-Control-Request-Method,
    /// Access-Control-Request-Headers, Origin, User-Agent, Sec-Fetch-Mode).
    private static func makePreflight(for request: PageRequest, unsafeNames: [String]) -> HTTPRequest {
        var fields = HTTPFields()
        fields[.accept] = "*/*"
        fields[.accessControlRequestMethod] = request.method.rawValue
        if !unsafeNames.isEmpty {
            // Joined with "," and no space (fetch.bs L7023; measured).
            fields[.accessControlRequestHeaders] = unsafeNames.joined(separator: ",")
        }
        fields[.origin] = request.serializedOrigin
        // Chromium sets this on every preflight, even to a URL that is not potentially
        // trustworthy and so gets no other Sec-Fetch-* header (measured on 156 with
        // http://api.test mapped to 127.0.0.1).
        fields[.secFetchMode] = "cors"
        // Never credentials: no Cookie, no Authorization (Chromium uses kOmit for preflights).
        return HTTPRequest(
            method: .options, scheme: request.url.scheme, authority: request.url.authority,
            path: request.url.pathAndQuery, headerFields: fields)
    }

    /// The actual request: the surviving script headers, the default `Accept: */*` when the
    /// script set none (fetch.bs "fetch"), `Origin` (fetch.bs "append a request
    /// `Origin` header": always when cross-origin, and on same-origin requests whose method is
    /// not GET or HEAD), and `Sec-Fetch-Mode: cors` only for potentially trustworthy URLs (Fetch
    /// Metadata; measured: absent on http://api.test, present on http://127.0.0.1). Cookies,
    /// when ``PageRequest/sendsCredentials``, are added by the browser and not shown.
    private static func makeActualRequest(
        for request: PageRequest, headers: [ClassifiedHeader], sendsFetchMetadata: Bool
    ) -> HTTPRequest {
        var fields = HTTPFields()
        for header in headers where header.verdict != .forbidden {
            if let name = HTTPField.Name(header.name) {
                fields.append(HTTPField(name: name, value: header.value))
            }
        }
        if !fields.contains(.accept) {
            fields[.accept] = "*/*"
        }
        let method = request.method.rawValue
        if request.isCrossOrigin || (method != "GET" && method != "HEAD") {
            fields[.origin] = request.serializedOrigin
        }
        if sendsFetchMetadata {
            fields[.secFetchMode] = "cors"
        }
        return HTTPRequest(
            method: request.method, scheme: request.url.scheme, authority: request.url.authority,
            path: request.url.pathAndQuery, headerFields: fields)
    }

    // MARK: Warnings about the request itself

    private static func requestWarnings(for request: PageRequest, headers: [ClassifiedHeader]) -> [BrowserWarning] {
        var warnings: [BrowserWarning] = []
        let method = request.method.rawValue
        if method.utf8.contains(where: { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) {
            warnings.append(
                BrowserWarning(
                    .methodNotNormalized,
                    "The browser sends the method as '\(method)': only DELETE, GET, HEAD, OPTIONS, POST and PUT are uppercased (fetch.bs L587). Access-Control-Allow-Methods must list '\(method)' exactly, and most servers route only '\(ASCII.uppercased(method))'; write '\(ASCII.uppercased(method))' in the script."
                ))
        }
        guard request.isCrossOrigin else { return warnings }
        if request.credentials != .include {
            warnings.append(
                BrowserWarning(
                    .credentialsNotSent,
                    "Credentials mode is '\(request.credentials.rawValue)', so no cookies or HTTP authentication go with this cross-origin request; use credentials: 'include' (XMLHttpRequest: withCredentials = true) if the server needs them."
                ))
        }
        if request.isOriginTainted {
            warnings.append(
                BrowserWarning(
                    .originTainted,
                    "A redirect went from one origin to another origin that is not the page's (fetch.bs L2360), so the browser now sends 'Origin: null' and the CORS check expects 'Access-Control-Allow-Origin: null' or '*'."
                ))
        }
        for header in headers where header.verdict == .safelisted && !header.reason.isEmpty {
            warnings.append(
                BrowserWarning(
                    .chromiumOnlySafelistedHeader,
                    "Chromium treats '\(header.lowercasedName)' as CORS-safelisted (a client hint), so it sends no preflight for it; the Fetch standard, Firefox and Safari do, and the server must then allow the header."
                ))
        }
        let pageSpace = request.origin.addressSpace
        let targetSpace = HostAddressSpace(host: request.url.host)
        if targetSpace.privacyRank > pageSpace.privacyRank {
            warnings.append(
                BrowserWarning(
                    .localNetworkAccess,
                    "The page (\(pageSpace.rawValue) address space) reaches a \(targetSpace.rawValue) address: since Chrome 142, Local Network Access asks the user for permission first, and only secure-context pages may ask. The legacy Private Network Access preflight headers are not enforced."
                ))
        }
        return warnings
    }
}
