import HTTPTypes
import CORSWebSyntax

/// WebKit (Safari, WebKitGTK): the checks and texts of WebCore's
/// `loader/CrossOriginAccessControl.cpp` (`passesAccessControlCheck`,
/// `validatePreflightResponse`) and `loader/CrossOriginPreflightResultCache.cpp`, measured on
/// WebKitGTK 2.50. Every reason line is followed by "Fetch API cannot load URL due to access
/// control checks." (`XMLHttpRequest cannot load …` for XMLHttpRequest).
///
/// WebKit checks a preflight's status before its `Access-Control-Allow-Origin`, so a 403 or a
/// 302 preflight is reported as "Preflight response is not successful" where Chromium and
/// Firefox name the missing header.
public struct WebKitProfile: EngineProfile {
    public init() {}

    public var engine: BrowserEngine { .webkit }

    public var catalogue: [EngineMessage] { Self.messages }

    // CrossOriginPreflightResultCache.cpp: defaultPreflightCacheTimeout = 5_s,
    // maxPreflightCacheTimeout = 600_s; parseInteger<int64_t>, an unreadable value gets the
    // default, a negative one an expiry in the past.
    public var preflightCache: PreflightCachePolicy {
        PreflightCachePolicy(
            capSeconds: 600, defaultSeconds: 5, invalidValue: .useDefault,
            key: "origin and URL; one entry per response holding its method and header lists and the credentials policy",
            source: "Source/WebCore/loader/CrossOriginPreflightResultCache.cpp (parseAccessControlMaxAge, maxPreflightCacheTimeout)",
            parse: { value in
                var digits = value.utf8[...]
                var negative = false
                if let sign = digits.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                    negative = sign == UInt8(ascii: "-")
                    digits = digits.dropFirst()
                }
                guard let magnitude = ASCII.decimalValue(digits) else { return nil }
                return negative ? 0 : magnitude
            })
    }

    public var authorizationUnderWildcardRepreflights: Bool { false }

    public var authorizationUnderWildcard: EngineBehaviour {
        EngineBehaviour(
            "Allowed: 'Access-Control-Allow-Headers: *' lets Authorization through, nothing is logged, and the preflight is cached as for any other header.",
            source: "measured on WebKitGTK 2.50")
    }

    public var redirectedPreflight: EngineBehaviour {
        EngineBehaviour(
            "Blocked, reported as \"Preflight response is not successful. Status code: 302\": the status check comes before everything else.",
            source: "CrossOriginAccessControl.cpp validatePreflightResponse; measured on WebKitGTK 2.50")
    }

    /// Not measurable headless here: WebKitGTK 2.50 has no way to declare a loopback page public
    /// (no counterpart of Chromium's `--ip-address-space-overrides` or Firefox's
    /// `network.lna.address_space.*` prefs, and MiniBrowser has no such setting), and the tests
    /// may use only loopback addresses, so every page is loopback and the case cannot arise.
    /// WebKit's sources have no Local Network Access permission; a public page's request to a
    /// loopback address is an ordinary CORS request.
    public var localNetworkAccess: EngineBehaviour {
        EngineBehaviour(
            "No Local Network Access permission: a public page's request to a loopback or private address is an ordinary CORS request.",
            source: "WebKit's sources (no Local Network Access implementation in WebKitGTK 2.50); not measurable headless here")
    }

    public var localNetworkAccessPolicy: LocalNetworkAccessPolicy {
        LocalNetworkAccessPolicy(
            asksPermission: false, loopbackPermission: nil, whileUndecided: .unrestricted, deniedMessageID: nil,
            source: "not measured: WebKitGTK cannot declare a loopback page public")
    }

    public func report(_ exchange: BlockedExchange) -> EngineReport {
        let request = exchange.request
        var values: [ConsolePlaceholder: String] = [
            .url: request.url.serialized, .origin: request.serializedOrigin,
            .api: request.initiator == .fetch ? "Fetch API" : "XMLHttpRequest",
        ]
        var id: String
        switch exchange.stage {
        case .preflight:
            id = preflightReason(exchange, values: &values)
        case .response:
            id = corsCheckReason(exchange, values: &values)
        case .redirect:
            values[.location] = exchange.resolvedLocationWithoutCredentials
            if exchange.failure.reason == .redirectContainsCredentials {
                values[.value] = "redirection URL \(exchange.resolvedLocation) has credentials"
            } else {
                var inner = values
                let innerID = corsCheckReason(exchange, values: &inner)
                values[.value] = message(innerID).render(inner)
            }
            id = "redirectDenied"
        }
        let message = message(id)
        let lines = [message.render(values), self.message("cannotLoad").render(values)]
        return EngineReport(engine: .webkit, message: message, values: values, consoleLines: lines)
    }

    /// A redirect to a URL that is not http(s): "not allowed to follow a cross-origin CORS
    /// redirection with non CORS scheme" (measured on WebKitGTK 2.50).
    public func networkErrorLines(_ error: NetworkError, request: PageRequest) -> [String] {
        guard error.code == .unsafeRedirect else { return [] }
        let values: [ConsolePlaceholder: String] = [
            .location: error.url, .url: request.url.serialized,
            .value: "not allowed to follow a cross-origin CORS redirection with non CORS scheme",
            .api: request.initiator == .fetch ? "Fetch API" : "XMLHttpRequest",
        ]
        return [message("redirectDenied").render(values), message("cannotLoad").render(values)]
    }

    // Measured on WebKitGTK 2.50 (Tests/EngineFixtures/cross-site-cookies.json): no cookie
    // from the answer to a cross-site fetch is stored (third-party cookies blocked); a Secure
    // cookie is refused over http, even from 127.0.0.1; SameSite=None needs no Secure and there is
    // no Lax default, so a cookie the user got by visiting the API's site does go with a
    // credentialed request from another site unless it is Lax or Strict. Safari's Intelligent
    // Tracking Prevention also withholds those (not measurable here: WebKitGTK has no ITP
    // enabled by default).
    public func crossSiteCookieVerdict(
        for cookie: SetCookie, setIn context: CookieSettingContext, by url: WebURL?
    ) -> CrossSiteCookieVerdict {
        let generic = cookie.crossSiteVerdict
        let noneWithoutSecure = cookie.sameSite == SetCookie.SameSite.none && !cookie.isSecure
        if generic.outcome == .rejected && !noneWithoutSecure { return generic }
        if let rejected = cookie.insecureTransportRejection(url, loopbackCounts: false) { return rejected }
        switch context {
        case .crossSiteRequest:
            return CrossSiteCookieVerdict(
                outcome: .rejected,
                explanation:
                    "Safari blocks third-party cookies by default (WebKitGTK's default policy is 'no third party'): a cookie in the answer to a credentialed request from another site is not stored, whatever its SameSite, so it never goes back. Serve the API from the page's site (a subdomain or the same origin behind a proxy), or use the Storage Access API."
            )
        case .topLevelVisit:
            switch cookie.sameSite {
            case .lax?, .strict?:
                return CrossSiteCookieVerdict(
                    outcome: .notSentCrossSite,
                    explanation:
                        "SameSite=\(cookie.sameSite!.rawValue) cookies are not sent with cross-site fetch or XMLHttpRequest requests."
                )
            case .none?, nil:
                return CrossSiteCookieVerdict(
                    outcome: .sentCrossSite,
                    explanation:
                        "WebKitGTK sends a cookie the user got by visiting the API's site with a credentialed request from another site (no Lax default; SameSite=None needs no Secure in WebKit). Safari's Intelligent Tracking Prevention withholds it unless the page obtains storage access."
                )
            }
        }
    }

    // MARK: Which check WebKit reports

    /// `passesAccessControlCheck`.
    private func corsCheckReason(_ exchange: BlockedExchange, values: inout [ConsolePlaceholder: String]) -> String {
        let allowOrigin = exchange.combined(.accessControlAllowOrigin) ?? ""
        let includes = exchange.request.credentials == .include
        if allowOrigin != exchange.request.serializedOrigin {
            if allowOrigin == "*" && includes { return "wildcardWithCredentials" }
            if allowOrigin.utf8.contains(ASCII.comma) { return "multipleOrigins" }
            values[.status] = String(exchange.status)
            return "originNotAllowed"
        }
        return "credentialsNotTrue"
    }

    /// `validatePreflightResponse`: status, CORS check, list syntax, method, headers.
    private func preflightReason(_ exchange: BlockedExchange, values: inout [ConsolePlaceholder: String]) -> String {
        if !exchange.isOkStatus {
            values[.status] = String(exchange.status)
            return "preflightNotSuccessful"
        }
        let failure = exchange.failure
        switch failure.reason {
        case .invalidAllowMethodsPreflightResponse:
            values[.value] = exchange.combined(.accessControlAllowMethods) ?? ""
            return "invalidAllowMethods"
        case .invalidAllowHeadersPreflightResponse:
            values[.value] = exchange.combined(.accessControlAllowHeaders) ?? ""
            return "invalidAllowHeaders"
        case .methodDisallowedByPreflightResponse:
            values[.method] = failure.failedParameter ?? exchange.request.method.rawValue
            return "methodNotAllowed"
        case .headerDisallowedByPreflightResponse:
            values[.header] = Self.headerSpelling(failure.failedParameter ?? "", in: exchange.request)
            return "headerNotAllowed"
        default:
            return corsCheckReason(exchange, values: &values)
        }
    }

    /// WebKit names a request header as its header map holds it: the script's spelling
    /// (measured: `X-Custom`, `Content-Type`, `Accept-Language`).
    public static func headerSpelling(_ lowercased: String, in request: PageRequest) -> String {
        request.headerFields.first { $0.name.canonicalName == lowercased }?.name.rawName ?? lowercased
    }

    // MARK: The catalogue

    static let originOrErrorPage =
        "WebKit prints this one line for a missing Access-Control-Allow-Origin, another origin, 'null', a trailing slash or an unparsable value — and for an error page (4xx/5xx) that carries no CORS headers. `cors check` shows the header the server really sends."

    private static func line(
        _ id: String, _ text: String, causes: [CORSFailure.Reason], probe: String? = nil,
        role: EngineMessage.Role = .blocked, note: String? = nil
    ) -> EngineMessage {
        EngineMessage(
            engine: .webkit, id: id, templates: [ConsoleTemplate(text)], reason: ConsoleTemplate(text), causes: causes,
            decidingProbe: probe, role: role, note: note)
    }

    static let messages: [EngineMessage] = [
        line(
            "originNotAllowed", "Origin {origin} is not allowed by Access-Control-Allow-Origin. Status code: {status}",
            // Not MultipleAllowOriginValues: a list or a repeated header always gets
            // "cannot contain more than one origin" (measured: acao-multiple-values, acao-two-lines).
            causes: [
                .missingAllowOriginHeader, .allowOriginMismatch, .invalidAllowOriginValue,
                .preflightMissingAllowOriginHeader, .preflightAllowOriginMismatch, .preflightInvalidAllowOriginValue,
            ],
            probe: originOrErrorPage),
        line(
            "multipleOrigins", "Access-Control-Allow-Origin cannot contain more than one origin.",
            causes: [.multipleAllowOriginValues, .preflightMultipleAllowOriginValues]),
        line(
            "wildcardWithCredentials", "Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.",
            causes: [.wildcardOriginNotAllowed, .preflightWildcardOriginNotAllowed]),
        line(
            "credentialsNotTrue", "Credentials flag is true, but Access-Control-Allow-Credentials is not \"true\".",
            causes: [.invalidAllowCredentials, .preflightInvalidAllowCredentials]),
        line(
            "headerNotAllowed", "Request header field {header} is not allowed by Access-Control-Allow-Headers.",
            causes: [.headerDisallowedByPreflightResponse]),
        line(
            "methodNotAllowed", "Method {method} is not allowed by Access-Control-Allow-Methods.",
            causes: [.methodDisallowedByPreflightResponse]),
        line(
            "preflightNotSuccessful", "Preflight response is not successful. Status code: {status}",
            causes: [.preflightInvalidStatus, .preflightDisallowedRedirect, .preflightMissingAllowOriginHeader],
            probe:
                "WebKit checks the preflight's status first: a 3xx means the preflight was redirected, a 4xx/5xx that the OPTIONS route fails (often before any CORS header is added, which Chromium reports as a missing Access-Control-Allow-Origin). `cors check` shows the OPTIONS answer."
        ),
        line(
            "invalidAllowMethods", "Header Access-Control-Allow-Methods has an invalid value: {value}",
            causes: [.invalidAllowMethodsPreflightResponse]),
        line(
            "invalidAllowHeaders", "Header Access-Control-Allow-Headers has an invalid value: {value}",
            causes: [.invalidAllowHeadersPreflightResponse]),
        line(
            "redirectDenied", "Cross-origin redirection to {location} denied by Cross-Origin Resource Sharing policy: {value}",
            causes: [.missingAllowOriginHeader, .allowOriginMismatch, .redirectContainsCredentials],
            probe: "The text after the colon is the check the redirect response failed."),
        line(
            "cannotLoad", "{api} cannot load {url} due to access control checks.", causes: [], role: .followUp,
            note: "WebKit's follow-up line: it names the URL of the blocked request; the line before it names the reason."),
    ]
}
