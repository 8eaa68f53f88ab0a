import CORS
import CORSBrowserModel
import HTTPTypes
import CORSWebSyntax

/// Turns what the browser model concluded into the tutorial's pitfalls by name and concrete
/// fixes: a line of the detected stack's configuration, the response header to send, and the
/// setting to change in a swift-cors `CORSPolicy` and in FastAPI/Starlette's `CORSMiddleware`.
enum CheckAdvisor {
    /// The exact advice for a 4xx/5xx without CORS headers (the tutorial's wording).
    static let hiddenServerErrorAdvice =
        "this is a server error hidden by CORS: check the server's logs, and make error responses carry CORS headers"
    /// The exact advice for a redirect (the tutorial's wording).
    static let redirectAdvice = "serve the canonical URL directly"

    /// Fills in `report.pitfalls`, `report.fixes` and the advisor's own warnings.
    static func advise(_ report: inout CheckReport) {
        var advice = Advice()
        if let failure = report.failure, let step = report.steps.last(where: { $0.failure != nil }) {
            adviseOnFailure(failure, step: step, report: report, into: &advice)
        }
        adviseOnRedirects(report, into: &advice)
        adviseOnCookies(report, into: &advice)
        adviseOnWildcardAuthorization(report, into: &advice)
        adviseOnHiddenHeaders(report, into: &advice)
        adviseOnCredentialedRead(report, into: &advice)
        if !report.request.isCrossOrigin {
            advice.warnings.append(
                "same-origin: the page and the URL have the same origin, so CORS does not apply; pass the origin of the page that really calls this URL.")
        }
        report.pitfalls = advice.pitfalls
        report.fixes = advice.fixes.map { fix in
            var fix = fix
            fix.stackFixes = stackFixes(for: fix, report: report)
            return fix
        }
        report.warnings = CheckRunner.unique(quieted(report.warnings, report: report) + advice.warnings)
    }

    /// Pitfalls, fixes and warnings gathered so far.
    struct Advice {
        var pitfalls: [CheckPitfall] = []
        var fixes: [CheckFix] = []
        var warnings: [String] = []

        mutating func add(_ fix: CheckFix) {
            if let pitfall = fix.pitfall, !pitfalls.contains(pitfall) { pitfalls.append(pitfall) }
            if !fixes.contains(fix) { fixes.append(fix) }
        }

        mutating func note(_ pitfall: CheckPitfall) {
            if !pitfalls.contains(pitfall) { pitfalls.append(pitfall) }
        }
    }

    /// What one failing step tells about the request and the server.
    struct Context {
        var step: CheckStep
        var report: CheckReport
        var plan: RequestPlan { step.plan }
        var fields: HTTPFields { step.response.headerFields }
        var status: Int { step.response.status.code }
        var origin: String { report.request.origin.serialized }
        var includes: Bool { report.request.credentials == .include }
        var isPreflight: Bool { step.kind == .preflight }
        var isTainted: Bool { plan.request.isOriginTainted }
        var method: String { plan.request.method.rawValue }
        var methodNeedsListing: Bool { !["GET", "HEAD", "POST"].contains(method) }
        var statusText: String {
            let phrase = step.response.status.reasonPhrase
            return phrase.isEmpty ? "\(status)" : "\(status) \(phrase)"
        }

        /// The CORS-unsafe header names as the script wrote them, in the preflight's order.
        var unsafeHeaderDisplayNames: [String] {
            plan.unsafeHeaderNames.map { name in
                plan.headers.first { $0.lowercasedName == name }?.name ?? name
            }
        }

        init(step: CheckStep, report: CheckReport) {
            self.step = step
            self.report = report
        }
    }
}
