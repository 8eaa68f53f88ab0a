import CORS
import CORSBrowserModel
import HTTPTypes
import CORSWebSyntax

/// Cookies on a credentialed request: which ones the browser will not send, and why.
extension CheckAdvisor {
    // MARK: Cookies

    static func adviseOnCookies(_ report: CheckReport, into advice: inout Advice) {
        guard report.request.credentials == .include, report.request.isCrossOrigin else { return }
        var seen = Set<String>()
        for step in report.steps where step.kind == .actual {
            // A cross-origin API can still be same-site (localhost:5173 → localhost:8000,
            // app.example.com → api.example.com): then Lax, Strict and default cookies go with
            // the fetch, and only a cookie the browser rejects outright is worth a word.
            let sameSite = isSameSite(page: report.request.origin, url: step.plan.request.url)
            for value in step.response.headerFields[values: .setCookie] {
                let cookie = SetCookie(parsing: value)
                let verdict = cookie.crossSiteVerdict
                guard !verdict.isSentCrossSite, seen.insert(cookie.name).inserted else { continue }
                if sameSite && verdict.outcome != .rejected { continue }
                let name = cookie.name.isEmpty ? "(nameless)" : cookie.name
                let problem =
                    "Set-Cookie '\(name)' lacks 'SameSite=None; Secure': the browser will not send that cookie cross-site. \(verdict.explanation)"
                advice.add(
                    CheckFix(
                        pitfall: .cookieWithoutSameSiteNone,
                        problem: problem,
                        headers: ["Set-Cookie: \(fixedCookie(value))"],
                        corsPolicy:
                            "not a CORS setting: the handler that sets '\(name)' must add 'SameSite=None; Secure', and the API must be served over https (browsers drop Secure cookies set over plain http, except on localhost).",
                        fastAPI: "response.set_cookie(\"\(name)\", value, samesite=\"none\", secure=True)"))
                advice.warnings.append(
                    "\(CheckPitfall.cookieWithoutSameSiteNone.rawValue): Set-Cookie '\(name)' lacks 'SameSite=None; Secure': the browser will not send that cookie cross-site."
                )
            }
        }
    }

    /// Whether a request to `url` from a page on `page` is same-site for cookies. Chromium
    /// compares sites schemefully: the same scheme, and the same registrable domain (the host
    /// itself for IP addresses, `localhost` and other hosts without one); ports never matter.
    /// An opaque (`null`) page origin is never same-site.
    static func isSameSite(page: WebOrigin, url: WebURL) -> Bool {
        guard case .tuple(let scheme, let host, _) = page else { return false }
        return SchemefulSite(scheme: scheme, host: host) == SchemefulSite(scheme: url.scheme, host: url.host)
    }

    /// The `Set-Cookie` value with `SameSite=None; Secure` and without another SameSite.
    static func fixedCookie(_ value: String) -> String {
        var parts = value.split(separator: ";", omittingEmptySubsequences: false).map { String($0).trimmingHTTPWhitespace() }
        let pair = parts.isEmpty ? "" : parts.removeFirst()
        parts.removeAll { part in
            let name = part.split(separator: "=", maxSplits: 1).first.map { String($0).trimmingHTTPWhitespace().lowercased() } ?? ""
            return name == "samesite" || name == "secure" || part.isEmpty
        }
        return ([pair] + parts + ["SameSite=None", "Secure"]).joined(separator: "; ")
    }
}
