import CORS
import CORSBrowserModel
import HTTPTypes

/// Requests that pass only in Chromium, and response headers the script cannot read.
extension CheckAdvisor {
    // MARK: Chromium-only passes and hidden headers

    static func adviseOnWildcardAuthorization(_ report: CheckReport, into advice: inout Advice) {
        guard report.verdict == .allowed,
            let step = report.steps.last(where: { $0.kind == .preflight }),
            case .preflightPassed(let grant) = step.outcome, grant.allowsAnyHeader,
            step.plan.unsafeHeaderNames.contains("authorization"),
            !grant.allowedHeaderNames.contains("authorization")
        else { return }
        let existing = tokens(in: step.response.headerFields.combinedValue(of: .accessControlAllowHeaders) ?? "")
        let names = merged(existing, adding: ["Authorization"])
        var fix = CheckFix(
            pitfall: .headerNotAllowed,
            problem:
                "Chromium lets Authorization through 'Access-Control-Allow-Headers: *', but the Fetch standard, Firefox and Safari block it: list it by name.",
            headers: ["Access-Control-Allow-Headers: \(names.joined(separator: ", "))"],
            corsPolicy: "\"allowHeaders\": \(list(names))",
            fastAPI: "CORSMiddleware(..., allow_headers=\(list(names)))")
        fix.kinds = [.headerNotAllowed(name: "Authorization")]
        advice.add(fix)
    }

    /// Names nobody expects a script to read.
    static let unremarkableHeaderNames: Set<String> = [
        "connection", "date", "keep-alive", "server", "transfer-encoding", "vary", "set-cookie", "set-cookie2",
        "content-encoding", "etag", "accept-ranges", "age", "alt-svc", "strict-transport-security", "x-powered-by",
        "via", "cf-ray", "cf-cache-status", "nel", "report-to", "x-content-type-options", "x-frame-options",
        "content-security-policy", "referrer-policy", "permissions-policy", "cross-origin-opener-policy",
        "cross-origin-resource-policy", "cross-origin-embedder-policy", "x-xss-protection",
        "content-security-policy-report-only", "x-permitted-cross-domain-policies", "origin-agent-cluster",
        "x-dns-prefetch-control", "x-download-options", "expect-ct", "x-aspnet-version", "x-aspnetmvc-version",
        "x-robots-tag", "allow", "content-length", "last-modified", "expires", "pragma", "cache-control",
        "content-language", "content-type", "x-runtime", "server-timing", "x-cache", "x-cache-hits", "x-served-by",
        "x-timer", "timing-allow-origin", "upgrade", "trailer", "report-to", "reporting-endpoints",
    ]

    /// Prefixes of CDN and proxy bookkeeping headers nobody expects a script to read.
    static let unremarkableHeaderPrefixes: [String] = ["cf-", "x-amz-cf-", "x-envoy-", "x-nginx-", "x-akamai-"]

    static func adviseOnHiddenHeaders(_ report: CheckReport, into advice: inout Advice) {
        guard let readable = report.readable, report.request.isCrossOrigin,
            let step = report.steps.last(where: { $0.kind == .actual })
        else { return }
        let hidden = readable.hiddenHeaderNames.filter(isRemarkable)
        guard !hidden.isEmpty else { return }
        let display = hidden.map { name in
            step.response.headerFields.first { $0.name.canonicalName == name }?.name.rawName ?? name
        }
        var existing = tokens(in: step.response.headerFields.combinedValue(of: .accessControlExposeHeaders) ?? "")
        if report.request.credentials == .include { existing.removeAll { $0 == "*" } }
        let names = merged(existing, adding: display)
        var fix = CheckFix(
                problem:
                    "If the script must read \(display.joined(separator: ", ")): the browser hides \(display.count == 1 ? "it" : "them") unless Access-Control-Expose-Headers names \(display.count == 1 ? "it" : "them").",
                headers: ["Access-Control-Expose-Headers: \(names.joined(separator: ", "))"],
                corsPolicy: "\"exposeHeaders\": \(list(names))",
                fastAPI: "CORSMiddleware(..., expose_headers=\(list(names)))")
        fix.kinds = display.map { .headerNotExposed(name: $0) }
        advice.add(fix)
    }
}
