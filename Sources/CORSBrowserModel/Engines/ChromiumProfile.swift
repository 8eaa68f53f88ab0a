/// Chromium: the shared model's own engine. Its console lines are
/// ``CORSFailure/consoleMessage(url:initialURL:origin:initiator:)`` (blink
/// `cors_error_string.cc`, measured on Chromium 156), and its catalogue is derived from that
/// function, so the texts exist once.
public struct ChromiumProfile: EngineProfile {
    public init() {}

    public var engine: BrowserEngine { .chromium }

    public var catalogue: [EngineMessage] { Self.messages }

    // services/network/cors/preflight_result.cc: kMaxTimeout = base::Hours(2), default 5 s;
    // measured on 156: "-1", "0" and "+0" not cached, an unparsable value gets the default.
    public var preflightCache: PreflightCachePolicy {
        PreflightCachePolicy(
            capSeconds: PreflightMaxAge.maximumSeconds, defaultSeconds: PreflightMaxAge.defaultSeconds,
            invalidValue: .useDefault,
            key:
                "network isolation key, origin, URL, credentials mode and target IP address space; one entry per preflight response with its method and header lists",
            source: "services/network/cors/preflight_result.cc (ParseAccessControlMaxAge, kMaxTimeout), preflight_cache.cc; measured on Chromium 156",
            parse: { value in
                let maxAge = PreflightMaxAge(headerValue: value)
                return maxAge.source == .invalid ? nil : maxAge.seconds
            })
    }

    public var authorizationUnderWildcardRepreflights: Bool { true }

    public var authorizationUnderWildcard: EngineBehaviour {
        EngineBehaviour(
            "Allowed: 'Access-Control-Allow-Headers: *' lets Authorization through (the Fetch standard says it must not); DevTools files the issue AuthorizationCoveredByWildcard, the console stays silent, and the cached preflight is never reused for it: every such request is preflighted again (measured).",
            source: "measured on Chromium 156; preflight_result.cc HasAuthorizationCoveredByWildcard")
    }

    public var redirectedPreflight: EngineBehaviour {
        EngineBehaviour(
            "Blocked before any other check: PreflightDisallowedRedirect, 'Redirect is not allowed for a preflight request.'",
            source: "services/network/cors/preflight_controller.cc; measured on Chromium 156")
    }

    /// Measured on Chromium 156 (`Tests/EngineFixtures/local-network-access.json`) with the page
    /// declared public by `--ip-address-space-overrides=127.0.0.1:PORT=public`: with no
    /// permission (headless Chromium shows no prompt) the request fails at once with
    /// `corsError` `LocalNetworkAccessPermissionDenied` and "Permission was denied for this
    /// request to access the `loopback` address space." — the server sees nothing, not even a
    /// preflight. With the permission granted (CDP `Browser.grantPermissions`
    /// `loopbackNetwork`) the request is an ordinary CORS request: the preflight carries no
    /// `Access-Control-Request-Private-Network`. Not measured: a page that is not a secure
    /// context (every page here is on a loopback host, which is one), and the prompt itself.
    public var localNetworkAccess: EngineBehaviour {
        EngineBehaviour(
            "A page on a public address that reaches a loopback (or local) address needs the user's Local Network Access permission: until it is granted the request fails before anything is sent, with 'Permission was denied for this request to access the `loopback` address space.'; once granted it is an ordinary CORS request (no Access-Control-Request-Private-Network preflight header). No CORS header changes it.",
            source: "measured on Chromium 156 (--ip-address-space-overrides); blink-dev Intent to Ship: Local Network Access restrictions (Chrome 142)")
    }

    public var localNetworkAccessPolicy: LocalNetworkAccessPolicy {
        LocalNetworkAccessPolicy(
            asksPermission: true, loopbackPermission: "loopbackNetwork", whileUndecided: .blocked,
            deniedMessageID: Self.localNetworkAccessDeniedID,
            source: "measured on Chromium 156 with --ip-address-space-overrides=127.0.0.1:PORT=public")
    }

    public func report(_ exchange: BlockedExchange) -> EngineReport {
        let failure = exchange.failure
        let message = message(failure.reason.rawValue)
        var values: [ConsolePlaceholder: String] = [
            .url: exchange.request.url.serialized, .origin: exchange.request.origin.serialized,
            .kind: exchange.request.initiator.resourceKind,
        ]
        if let parameter = failure.failedParameter {
            values[Self.parameterPlaceholder(failure.reason)] = CORSFailure.encodedHint(parameter)
        }
        return EngineReport(
            engine: .chromium, message: message, values: values,
            consoleLines: [failure.consoleMessage(for: exchange.request)])
    }

    // Measured on Chromium 156 with third-party cookies allowed (Tests/EngineFixtures/
    // cross-site-cookies.json): `Secure` is accepted on http://127.0.0.1 and http://localhost;
    // a response to a cross-site fetch cannot store a Lax, Strict or SameSite-less cookie at all
    // (DevTools: SchemefulSameSiteLax, …Strict, …UnspecifiedTreatedAsLax); a Partitioned cookie
    // lives in the jar of the top-level site it was set under.
    public func crossSiteCookieVerdict(
        for cookie: SetCookie, setIn context: CookieSettingContext, by url: WebURL?
    ) -> CrossSiteCookieVerdict {
        let verdict = cookie.crossSiteVerdict
        guard verdict.outcome != .rejected else { return verdict }
        if let rejected = cookie.insecureTransportRejection(url, loopbackCounts: true) { return rejected }
        switch context {
        case .crossSiteRequest:
            guard verdict.isSentCrossSite else {
                let attribute = cookie.sameSite.map { "SameSite=\($0.rawValue)" } ?? "no SameSite attribute (Chrome's Lax default)"
                return CrossSiteCookieVerdict(
                    outcome: .rejected,
                    explanation:
                        "Chrome does not store a cookie with \(attribute) that comes in the response to a cross-site fetch or XMLHttpRequest (DevTools: 'blocked because it had the SameSite=Lax attribute but came from a cross-site response'), so it never goes back. Set 'SameSite=None; Secure' for a cross-site API."
                )
            }
            return verdict
        case .topLevelVisit:
            if cookie.isPartitioned {
                return CrossSiteCookieVerdict(
                    outcome: .notSentCrossSite,
                    explanation:
                        "A Partitioned (CHIPS) cookie set while the API's own site was the top-level page lives in that site's partition: Chrome does not send it when another site's page calls the API. Drop Partitioned, or set the cookie from the calling page's context."
                )
            }
            return verdict
        }
    }

    // MARK: The catalogue, derived from consoleMessage

    private static let sentinelURL = WebURL("https://url.placeholder.invalid/")!
    private static let sentinelInitialURL = WebURL("https://initial.placeholder.invalid/")!
    private static let sentinelOrigin = WebOrigin("https://origin.placeholder.invalid")!
    static let policyMarker = " has been blocked by CORS policy: "

    /// Where Chromium's `failedParameter` goes in the message.
    static func parameterPlaceholder(_ reason: CORSFailure.Reason) -> ConsolePlaceholder {
        switch reason {
        case .methodDisallowedByPreflightResponse: .method
        case .headerDisallowedByPreflightResponse: .header
        default: .value
        }
    }

    private static func template(_ reason: CORSFailure.Reason, initiator: RequestInitiator, redirected: Bool) -> String {
        let failure = CORSFailure(reason, failedParameter: "{\(parameterPlaceholder(reason).rawValue)}")
        let line = failure.consoleMessage(
            url: sentinelURL, initialURL: redirected ? sentinelInitialURL : nil, origin: sentinelOrigin,
            initiator: initiator)
        return
            line
            .replacingAll(sentinelInitialURL.serialized, with: "{initialURL}")
            .replacingAll(sentinelURL.serialized, with: "{url}")
            .replacingAll(sentinelOrigin.serialized, with: "{origin}")
            .replacingAll("Access to \(initiator.resourceKind) at", with: "Access to {kind} at")
    }

    /// The catalogue id of the Local Network Access denial (Chromium's `corsError` name).
    static let localNetworkAccessDeniedID = "LocalNetworkAccessPermissionDenied"

    /// Measured on Chromium 156; `{value}` is the target's address space (`loopback`, `local`).
    static let localNetworkAccessDenied = EngineMessage(
        engine: .chromium, id: localNetworkAccessDeniedID,
        templates: [
            ConsoleTemplate(
                "Access to {kind} at '{url}' from origin '{origin}' has been blocked by CORS policy: Permission was denied for this request to access the `{value}` address space."
            )
        ],
        reason: ConsoleTemplate("Permission was denied for this request to access the `{value}` address space."), causes: [],
        decidingProbe: nil, role: .blocked,
        note:
            "Local Network Access: a page on a public address called a loopback or local address, and the user has not granted the permission (or denied it). No CORS header fixes it: serve the page and the API from the same kind of address, or let the user allow local network access for the page's site; only a secure-context (https) page can ask.")

    static let messages: [EngineMessage] = [localNetworkAccessDenied] + CORSFailure.Reason.allCases.map { reason in
        var templates: [ConsoleTemplate] = []
        for initiator in RequestInitiator.allCases {
            for redirected in [false, true] {
                let template = ConsoleTemplate(Self.template(reason, initiator: initiator, redirected: redirected))
                if !templates.contains(template) { templates.append(template) }
            }
        }
        let line = templates[0].text
        let body = line.firstRange(of: policyMarker).map { String(line[$0.upperBound...]) } ?? line
        return EngineMessage(
            engine: .chromium, id: reason.rawValue, templates: templates, reason: ConsoleTemplate(body),
            causes: [reason], decidingProbe: chromiumProbe(reason))
    }

    private static func chromiumProbe(_ reason: CORSFailure.Reason) -> String? {
        switch reason {
        case .missingAllowOriginHeader:
            "The line does not say whether the server omits the header always or only on this response (a 4xx/5xx error page, a proxy's answer): `cors check` shows the status and the headers."
        default:
            nil
        }
    }
}

extension String {
    /// Every occurrence of `target` replaced (Foundation-free).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var output = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            output += rest[..<range.lowerBound]
            output += replacement
            rest = rest[range.upperBound...]
        }
        return output + rest
    }
}
