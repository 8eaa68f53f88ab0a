import CORS
import CORSBrowserModel
import HTTPTypes

/// Redirects: a redirected preflight, and redirects of the actual request.
extension CheckAdvisor {
    static func preflightRedirect(_ context: Context, location: String) -> CheckFix {
        let from = context.plan.request.url
        let target = WebURL(location, relativeTo: from)
        let shown = target?.serialized ?? location
        var fix = CheckFix(
            pitfall: .redirect,
            problem:
                "The preflight to \(from.serialized) was answered \(context.statusText) to '\(shown)'; browsers never follow a redirect on a preflight: \(redirectAdvice).",
            other: ["Call '\(shown)' directly from the page instead of '\(from.serialized)'."])
        fix.kinds = [.preflightRedirected]
        if let maker = redirectMaker(context.step.response) {
            fix.problem += " \(maker)"
        } else if let target {
            fix.fastAPI = redirectHintForFastAPI(from: from, to: target)
        }
        return fix
    }

    /// Who made a redirect, when its response shows a stack other than FastAPI: "nginx made the
    /// redirect (nginx's error page): …". `nil` when FastAPI may have made it.
    static func redirectMaker(_ response: HTTPExchangeResponse) -> String? {
        guard !redirectIsFastAPIs(response) else { return nil }
        let detection = StackKnowledge.detect([response.stackResponse])
        guard let stack = detection.stack else { return nil }
        return
            "\(stack.dialect.displayName) made the redirect (\(detection.evidence.joined(separator: "; "))): a rewrite or return in its configuration, not the application behind it."
    }

    /// Where FastAPI's own redirects come from.
    static func redirectHintForFastAPI(from: WebURL, to: WebURL) -> String? {
        if from.origin == to.origin, from.path + "/" == to.path || from.path == to.path + "/" {
            return
                "FastAPI redirects to the path with or without its trailing slash (redirect_slashes=True): call the path exactly as the route declares it, or create the app with FastAPI(redirect_slashes=False)."
        }
        if from.scheme == "http", to.scheme == "https", from.host == to.host {
            return
                "the http-to-https redirect comes from HTTPSRedirectMiddleware or the proxy: call the https:// URL directly."
        }
        return nil
    }

    // MARK: Redirects

    static func adviseOnRedirects(_ report: CheckReport, into advice: inout Advice) {
        let hops = report.redirects
        let failedStep = report.steps.last { step in
            switch step.outcome {
            case .redirectBlocked, .redirectFailed: true
            default: false
            }
        }
        guard !hops.isEmpty || failedStep != nil else { return }
        let initial = report.request.url
        let chain =
            ([initial.serialized] + hops.map(\.location.serialized)).joined(separator: " → ")
        var problem = "The request was redirected (\(chain))"
        if let error = report.networkError {
            // The sentence goes on after the explanation, so its own full stop would double up.
            let explanation = error.explanation.hasSuffix(".") ? String(error.explanation.dropLast()) : error.explanation
            problem += " and failed: net::\(error.code.rawValue), \(explanation)"
        }
        problem +=
            ". Every hop is CORS-checked, a preflight is never redirected, Authorization is dropped across origins and the Origin can become 'null': \(redirectAdvice)."
        var fix = CheckFix(pitfall: .redirect, problem: problem)
        let redirectSteps = report.steps.filter { step in
            if case .redirect = step.outcome { return true }
            return false
        }
        let maker = redirectSteps.lazy.compactMap { redirectMaker($0.response) }.first
        if let maker { fix.problem += " \(maker)" }
        if let last = hops.last, report.networkError == nil {
            fix.other.append("Call '\(last.location.serialized)' directly from the page instead of '\(initial.serialized)'.")
            if maker == nil { fix.fastAPI = redirectHintForFastAPI(from: initial, to: last.location) }
        } else {
            fix.other.append("Fix the redirect at \(failedStep?.url ?? initial.serialized) so that the page calls the final URL directly.")
        }
        if hops.contains(where: \.originBecameNull) {
            fix.problem +=
                " Here the Origin became 'null'; do not allow 'null' (every sandboxed page sends it): call the final URL directly."
        }
        advice.add(fix)
        advice.warnings.append("\(CheckPitfall.redirect.rawValue): \(chain): \(redirectAdvice).")
    }
}
