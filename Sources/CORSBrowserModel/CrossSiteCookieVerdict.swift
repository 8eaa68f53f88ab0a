/// Whether Chromium sends a cookie with a credentialed cross-site `fetch`/`XMLHttpRequest`
/// (`credentials: "include"` from a page on another site), and why.
///
/// "Cross-site" is about sites (scheme plus registrable domain), not origins:
/// `https://app.example.com` calling `https://api.example.com` is cross-origin but same-site, so
/// `Lax` and `Strict` cookies do go along there; `http://` and `https://` pages of one domain are
/// cross-site for Chrome ("schemeful same-site").
public struct CrossSiteCookieVerdict: Sendable, Hashable, CustomStringConvertible {
    /// The outcome.
    public enum Outcome: String, Sendable, Hashable {
        /// The browser refuses to store the cookie at all.
        case rejected
        /// Stored, but not sent on cross-site subresource requests.
        case notSentCrossSite = "not-sent-cross-site"
        /// Sent on cross-site requests (unless the user blocks third-party cookies).
        case sentCrossSite = "sent-cross-site"
    }

    /// The outcome.
    public let outcome: Outcome
    /// A human explanation, including what other browsers do where they differ.
    public let explanation: String

    /// Creates a verdict.
    public init(outcome: Outcome, explanation: String) {
        self.outcome = outcome
        self.explanation = explanation
    }

    /// Whether the cookie goes with a cross-site credentialed request.
    public var isSentCrossSite: Bool {
        outcome == .sentCrossSite
    }

    /// `outcome: explanation`.
    public var description: String {
        "\(outcome.rawValue): \(explanation)"
    }
}

/// Where the response that set a cookie was loaded: it decides which jar (or partition) the
/// cookie lands in, and so whether a later credentialed cross-site request carries it.
public enum CookieSettingContext: String, Sendable, Hashable, CaseIterable {
    /// The response to a credentialed cross-site `fetch`/`XMLHttpRequest` from the page, the
    /// exchange `cors check` sees (a login call from the page to the API).
    case crossSiteRequest = "cross-site request"
    /// A top-level visit of the API's own site (the user logged in there directly).
    case topLevelVisit = "top-level visit"
}

extension SetCookie {
    /// Chromium's verdict for a credentialed cross-site fetch (reference 1.9).
    public var crossSiteVerdict: CrossSiteCookieVerdict {
        if let rejection {
            return CrossSiteCookieVerdict(outcome: .rejected, explanation: rejection)
        }
        switch sameSite {
        case nil:
            return CrossSiteCookieVerdict(
                outcome: .notSentCrossSite,
                explanation:
                    "The cookie has no valid SameSite attribute, which Chrome treats as SameSite=Lax: it is not sent with cross-site fetch or XMLHttpRequest requests (Firefox and Safari still default to None). Set 'SameSite=None; Secure' to send it cross-site."
            )
        case .lax?:
            return CrossSiteCookieVerdict(
                outcome: .notSentCrossSite,
                explanation:
                    "SameSite=Lax cookies are sent on same-site requests and top-level navigations only, not with cross-site fetch or XMLHttpRequest. Use 'SameSite=None; Secure' for a cross-site API."
            )
        case .strict?:
            return CrossSiteCookieVerdict(
                outcome: .notSentCrossSite,
                explanation:
                    "SameSite=Strict cookies are sent on same-site requests only. Use 'SameSite=None; Secure' for a cross-site API."
            )
        case .none?:
            let partition =
                isPartitioned
                ? " It is Partitioned (CHIPS): it is sent only when the same top-level site embeds the request, in a jar separate from first-party use."
                : ""
            return CrossSiteCookieVerdict(
                outcome: .sentCrossSite,
                explanation:
                    "SameSite=None; Secure: Chrome sends it with credentialed cross-site requests, unless the user blocks third-party cookies (always in Incognito). Safari blocks third-party cookies and Firefox partitions them."
                    + partition
            )
        }
    }
}

extension SetCookie {
    /// The rejection of a `Secure` cookie set over plain http: Chromium and Firefox accept it
    /// from a loopback host (potentially trustworthy), WebKit only from https (measured:
    /// Chromium 156 and Firefox 153 store `Secure` cookies from http://127.0.0.1, WebKitGTK 2.50
    /// does not).
    func insecureTransportRejection(_ url: WebURL?, loopbackCounts: Bool) -> CrossSiteCookieVerdict? {
        guard isSecure, let url, url.scheme != "https" else { return nil }
        if loopbackCounts && url.isPotentiallyTrustworthy { return nil }
        return CrossSiteCookieVerdict(
            outcome: .rejected,
            explanation:
                loopbackCounts
                ? "The cookie is Secure but came over plain http from a host that is not loopback, so the browser ignores it. Serve the API over https."
                : "The cookie is Secure but came over plain http, and WebKit stores Secure cookies only from https, even from localhost or 127.0.0.1 (Chrome and Firefox accept them from loopback). Serve the API over https."
        )
    }
}
