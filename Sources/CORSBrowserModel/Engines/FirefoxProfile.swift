import HTTPTypes
import CORSWebSyntax

/// Firefox: the texts of `dom/locales/en-US/chrome/security/security.properties` (CORS*
/// keys), the checks of `netwerk/protocol/http/nsCORSListenerProxy.cpp`, and the reason names
/// of MDN's "CORS errors" pages (Firefox DevTools links each reason to its page).
///
/// Firefox never says whether the preflight or the actual response failed; after a preflight
/// or redirect failure it prints one more line, "(Reason: CORS request did not succeed). Status
/// code: (null)." (measured on Firefox 153).
public struct FirefoxProfile: EngineProfile {
    public init() {}

    public var engine: BrowserEngine { .firefox }

    public var catalogue: [EngineMessage] { Self.messages }

    // nsCORSPreflightListener::AddResultToCache returns early when the header is absent or
    // empty, so without Access-Control-Max-Age nothing is cached (measured on Firefox 153: a
    // second identical request at once sends a second preflight; the Fetch standard's 5 s
    // default does not apply); any byte other than 0-9 (a sign, a space, a dot) means the result
    // is not cached; the number is clamped to 86400; 0 is not cached.
    public var preflightCache: PreflightCachePolicy {
        PreflightCachePolicy(
            capSeconds: 86400, defaultSeconds: 0, invalidValue: .noCaching,
            key:
                "URL, page principal, credentials flag and origin attributes (partition); one entry per method and per header name, each with its own expiry, merged across responses; 100 entries, least recently used evicted",
            source: "netwerk/protocol/http/nsCORSListenerProxy.cpp (nsCORSPreflightListener::AddResultToCache, nsPreflightCache); measured on Firefox 153 (Tests/EngineFixtures/preflight-cache.json)",
            parse: { value in
                guard !value.isEmpty, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
                return ASCII.decimalValue(value.utf8).map { min($0, 86400) } ?? 86400
            })
    }

    public var authorizationUnderWildcardRepreflights: Bool { true }

    public var authorizationUnderWildcard: EngineBehaviour {
        EngineBehaviour(
            "Allowed while the pref network.cors_preflight.authorization_covered_by_wildcard is on (the default), with the console warning \"Cross-Origin Request Warning: … the `Authorization` header is not covered\"; the cached preflight is not reused for it, so every such request is preflighted again (measured).",
            source: "nsCORSListenerProxy.cpp CheckPreflightRequestApproved; measured on Firefox 153")
    }

    public var redirectedPreflight: EngineBehaviour {
        EngineBehaviour(
            "Blocked with CORSExternalRedirectNotAllowed (\"CORS request external redirect not allowed\"); only internal redirects and HSTS upgrades are followed.",
            source: "nsCORSListenerProxy.cpp nsCORSPreflightListener::AsyncOnChannelRedirect; measured on Firefox 153")
    }

    /// Measured on Firefox 153 (`Tests/EngineFixtures/local-network-access.json`) with the page
    /// declared public by the pref `network.lna.address_space.public.override`: a request to a
    /// loopback address waits for the user's answer (headless, it never settles, and the server
    /// sees nothing); denied (BiDi `permissions.setPermission` `loopback-network`), it fails
    /// with only "CORS request did not succeed). Status code: (null)."; granted, it is an
    /// ordinary CORS request, without Private Network Access headers.
    public var localNetworkAccess: EngineBehaviour {
        EngineBehaviour(
            "A page on a public address that reaches a loopback or local address needs the user's permission (network.lna.*): the request waits for the user's answer; denied, it fails with only 'CORS request did not succeed', which does not name the cause; granted, it is an ordinary CORS request. No CORS header changes it.",
            source: "measured on Firefox 153 (network.lna.address_space.public.override)")
    }

    public var localNetworkAccessPolicy: LocalNetworkAccessPolicy {
        LocalNetworkAccessPolicy(
            asksPermission: true, loopbackPermission: "loopback-network", whileUndecided: .waits,
            deniedMessageID: "CORSDidNotSucceed",
            source: "measured on Firefox 153 with network.lna.address_space.public.override")
    }

    public func report(_ exchange: BlockedExchange) -> EngineReport {
        let request = exchange.request
        var values: [ConsolePlaceholder: String] = [.url: request.url.serialized, .origin: request.serializedOrigin]
        let id: String
        switch exchange.stage {
        case .preflight:
            id = preflightReason(exchange, values: &values)
        case .redirect, .response:
            if exchange.failure.reason == .redirectContainsCredentials {
                values[.status] = "(null)"
                id = "CORSDidNotSucceed"
            } else {
                id = corsCheckReason(exchange, values: &values)
            }
        }
        let message = message(id)
        var lines = [message.render(values)]
        // Measured on Firefox 153: a redirected preflight also reports the preflight's status.
        if id == "CORSExternalRedirectNotAllowed" {
            lines.append(self.message("CORSPreflightDidNotSucceed").render([.url: request.url.serialized, .status: String(exchange.status)]))
        }
        // The channel is cancelled after a preflight or a redirect fails, which Firefox reports
        // once more as "CORS request did not succeed" (measured).
        if exchange.stage != .response && id != "CORSDidNotSucceed" {
            lines.append(self.message("CORSDidNotSucceed").render([.url: request.url.serialized, .status: "(null)"]))
        }
        return EngineReport(engine: .firefox, message: message, values: values, consoleLines: lines)
    }

    /// A redirect Firefox refuses as a network error (to a `data:` URL, measured) ends with the
    /// generic line.
    public func networkErrorLines(_ error: NetworkError, request: PageRequest) -> [String] {
        [message("CORSDidNotSucceed").render([.url: request.url.serialized, .status: "(null)"])]
    }

    /// Firefox's console warning for a request it let through, if any.
    public func warningLines(for warnings: [BrowserWarning], request: PageRequest) -> [String] {
        guard warnings.contains(where: { $0.code == .authorizationCoveredByWildcard }) else { return [] }
        return [message("CORSAllowHeaderFromPreflightDeprecation").render([.url: request.url.serialized])]
    }

    // Measured on Firefox 153 (Tests/EngineFixtures/cross-site-cookies.json): Total Cookie
    // Protection keeps a jar per top-level site, so a cross-site fetch from a page carries only
    // the cookies the API set in answers to that page's site; a cookie set on a visit of the
    // API's own site stays home, even SameSite=None; Secure. No Lax default; SameSite=None needs
    // Secure; Secure is accepted from http://127.0.0.1.
    public func crossSiteCookieVerdict(
        for cookie: SetCookie, setIn context: CookieSettingContext, by url: WebURL?
    ) -> CrossSiteCookieVerdict {
        let generic = cookie.crossSiteVerdict
        if generic.outcome == .rejected { return generic }
        if let rejected = cookie.insecureTransportRejection(url, loopbackCounts: true) { return rejected }
        switch context {
        case .topLevelVisit:
            return CrossSiteCookieVerdict(
                outcome: .notSentCrossSite,
                explanation:
                    "Firefox keeps a cookie jar per top-level site (Total Cookie Protection): a cookie set while the user visited the API's own site stays in that site's jar, and a credentialed request from another site's page does not carry it, whatever its SameSite. Set the cookie in the answer to a request from the page itself, or use the Storage Access API."
            )
        case .crossSiteRequest:
            switch cookie.sameSite {
            case .lax?, .strict?:
                return CrossSiteCookieVerdict(
                    outcome: .rejected,
                    explanation:
                        "Firefox refuses a SameSite=\(cookie.sameSite!.rawValue) cookie from a cross-site response (\"rejected because it is in a cross-site context and its SameSite is Lax or Strict\"), so it never goes back. Set 'SameSite=None; Secure' for a cross-site API."
                )
            case .none?, nil:
                return CrossSiteCookieVerdict(
                    outcome: .sentCrossSite,
                    explanation:
                        "Firefox stores it in the jar of the calling page's site (Total Cookie Protection) and sends it back from pages of that site only; the user's cookies from visiting the API's site directly are not sent."
                        + (cookie.sameSite == nil ? " Firefox does not apply Chrome's Lax default to a cookie without SameSite." : ""))
            }
        }
    }

    // MARK: Which check Firefox reports

    /// nsCORSListenerProxy::CheckRequestApproved, in its order.
    private func corsCheckReason(_ exchange: BlockedExchange, values: inout [ConsolePlaceholder: String]) -> String {
        let lines = exchange.allowOriginLines
        let includes = exchange.request.credentials == .include
        if lines.count > 1 { return "CORSMultipleAllowOriginNotAllowed" }
        guard let allowOrigin = lines.first.map({ String(ASCII.trimmingOptionalWhitespace(Substring($0))) }) else {
            values[.status] = String(exchange.status)
            return "CORSMissingAllowOrigin"
        }
        if includes && allowOrigin == "*" { return "CORSNotSupportingCredentials" }
        if allowOrigin != exchange.request.serializedOrigin && (includes || allowOrigin != "*") {
            values[.value] = allowOrigin
            return "CORSAllowOriginNotMatchingOrigin"
        }
        return "CORSMIssingAllowCredentials"
    }

    /// nsCORSPreflightListener: the redirect, the CORS check, the status, then the lists.
    private func preflightReason(_ exchange: BlockedExchange, values: inout [ConsolePlaceholder: String]) -> String {
        let reason = exchange.failure.reason
        if reason == .preflightDisallowedRedirect { return "CORSExternalRedirectNotAllowed" }
        if reason.hasPreflightPrefix && reason != .preflightInvalidStatus {
            return corsCheckReason(exchange, values: &values)
        }
        switch reason {
        case .preflightInvalidStatus:
            values[.status] = String(exchange.status)
            return "CORSPreflightDidNotSucceed"
        case .invalidAllowMethodsPreflightResponse:
            values[.token] = Self.firstInvalidToken(exchange.combined(.accessControlAllowMethods))
            return "CORSInvalidAllowMethod"
        case .invalidAllowHeadersPreflightResponse:
            values[.token] = Self.firstInvalidToken(exchange.combined(.accessControlAllowHeaders))
            return "CORSInvalidAllowHeader"
        case .methodDisallowedByPreflightResponse:
            return "CORSMethodNotFound"
        default:
            values[.header] = exchange.failure.failedParameter ?? ""
            return "CORSMissingAllowHeaderFromPreflight"
        }
    }

    /// The first comma-separated item that is not an HTTP token (`nsCCharSeparatedTokenizer`
    /// trims whitespace around each item).
    static func firstInvalidToken(_ value: String?) -> String {
        for item in (value ?? "").utf8.split(separator: ASCII.comma, omittingEmptySubsequences: false).map({ Substring($0) }) {
            let token = ASCII.trimmingOptionalWhitespace(item)
            if !token.isEmpty, !ASCII.isToken(token.utf8) { return String(token) }
        }
        return value ?? ""
    }

    // MARK: The catalogue

    static let documentationBase = "https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/"
    static let blockedPrefix = "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at {url}. (Reason: "

    private static func blocked(
        _ id: String, _ reason: String, status: Bool = false, quotedURL: Bool = false, causes: [CORSFailure.Reason],
        probe: String? = nil, role: EngineMessage.Role = .blocked, note: String? = nil
    ) -> EngineMessage {
        var prefix = blockedPrefix
        if quotedURL { prefix = prefix.replacingAll("at {url}.", with: "at ‘{url}’.") }
        let line = prefix + reason + ")." + (status ? " Status code: {status}." : "")
        return EngineMessage(
            engine: .firefox, id: id, templates: [ConsoleTemplate(line)], reason: ConsoleTemplate(reason), causes: causes,
            decidingProbe: probe, documentationURL: documentationBase + id, role: role, note: note)
    }

    static let preflightOrActual =
        "Firefox does not say whether the preflight or the actual response failed: the line \"(Reason: CORS request did not succeed). Status code: (null).\" right after it means the preflight (or, with a 3xx status, a redirect). `cors check` sends both and shows which."

    static let messages: [EngineMessage] = [
        blocked(
            "CORSMissingAllowOrigin", "CORS header ‘Access-Control-Allow-Origin’ missing", status: true,
            causes: [.missingAllowOriginHeader, .preflightMissingAllowOriginHeader], probe: preflightOrActual),
        blocked(
            "CORSAllowOriginNotMatchingOrigin", "CORS header ‘Access-Control-Allow-Origin’ does not match ‘{value}’",
            causes: [
                .allowOriginMismatch, .multipleAllowOriginValues, .invalidAllowOriginValue, .preflightAllowOriginMismatch,
                .preflightMultipleAllowOriginValues, .preflightInvalidAllowOriginValue,
            ],
            probe: "The value names the cause (another origin, a trailing slash, 'null', several origins in one line); "
                + preflightOrActual),
        blocked(
            "CORSMultipleAllowOriginNotAllowed", "Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed",
            causes: [.multipleAllowOriginValues, .preflightMultipleAllowOriginValues], probe: preflightOrActual),
        blocked(
            "CORSNotSupportingCredentials",
            "Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’", quotedURL: true,
            causes: [.wildcardOriginNotAllowed, .preflightWildcardOriginNotAllowed], probe: preflightOrActual),
        blocked(
            "CORSMIssingAllowCredentials", "expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’",
            causes: [.invalidAllowCredentials, .preflightInvalidAllowCredentials],
            probe: "The line does not show the value sent (absent, 'True', 'false'). " + preflightOrActual),
        blocked(
            "CORSPreflightDidNotSucceed", "CORS preflight response did not succeed", status: true,
            causes: [.preflightInvalidStatus]),
        blocked(
            "CORSInvalidAllowMethod", "invalid token ‘{token}’ in CORS header ‘Access-Control-Allow-Methods’",
            causes: [.invalidAllowMethodsPreflightResponse]),
        blocked(
            "CORSInvalidAllowHeader", "invalid token ‘{token}’ in CORS header ‘Access-Control-Allow-Headers’",
            causes: [.invalidAllowHeadersPreflightResponse]),
        blocked(
            "CORSMethodNotFound", "Did not find method in CORS header ‘Access-Control-Allow-Methods’",
            causes: [.methodDisallowedByPreflightResponse],
            probe: "The line does not name the method: it is the one the script used (not GET, HEAD or POST, or written in lower case). `cors check URL --method M` with the script's method shows the preflight's answer."),
        blocked(
            "CORSMissingAllowHeaderFromPreflight",
            "header ‘{header}’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response",
            causes: [.headerDisallowedByPreflightResponse]),
        blocked(
            "CORSExternalRedirectNotAllowed", "CORS request external redirect not allowed",
            causes: [.preflightDisallowedRedirect]),
        blocked(
            "CORSDidNotSucceed", "CORS request did not succeed", status: true, causes: [], role: .followUp,
            note:
                "The request got no usable response: after a preflight failure this line only repeats it; on its own it is a network error (server down, connection refused or reset, TLS or DNS failure, a redirect to a URL with user:password@, or a public page's request to a loopback or local address whose Local Network Access permission was denied), not a header problem."
        ),
        blocked(
            "CORSRequestNotHttp", "CORS request not http", causes: [],
            note:
                "The URL is not http or https (file:, a custom scheme): CORS requests need http(s). Serve the page and the API over http(s)."),
        blocked(
            "CORSOriginHeaderNotAdded", "CORS header ‘Origin’ cannot be added", causes: [],
            note: "Firefox could not add the Origin header (an extension or an internal request); not a server problem."),
        blocked(
            "CORSDisabled", "CORS disabled", causes: [],
            note: "The pref content.cors.disable is set in this Firefox profile; reset it in about:config."),
        EngineMessage(
            engine: .firefox, id: "CORSAllowHeaderFromPreflightDeprecation",
            templates: [
                ConsoleTemplate(
                    "Cross-Origin Request Warning: The Same Origin Policy will disallow reading the remote resource at {url} soon. (Reason: When the `Access-Control-Allow-Headers` is `*`, the `Authorization` header is not covered. To include the `Authorization` header, it must be explicitly listed in CORS header `Access-Control-Allow-Headers`)."
                )
            ],
            reason: ConsoleTemplate(
                "When the `Access-Control-Allow-Headers` is `*`, the `Authorization` header is not covered. To include the `Authorization` header, it must be explicitly listed in CORS header `Access-Control-Allow-Headers`"
            ), causes: [], role: .warning,
            note:
                "Not blocked (yet): the preflight answered 'Access-Control-Allow-Headers: *' and the request sends Authorization, which '*' does not cover in the Fetch standard. List Authorization explicitly in Access-Control-Allow-Headers."
        ),
    ]
}
