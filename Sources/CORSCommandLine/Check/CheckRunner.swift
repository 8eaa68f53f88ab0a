import CORSBrowserModel
import HTTPTypes

/// Runs a page's request against a live server the way a browser does, and reports why it
/// passes or fails.
///
/// The browser model decides everything; this type only sends what the model says the browser
/// sends: the preflight first when one is needed (its redirects are never followed), then the
/// actual request, then each redirect hop the model follows — re-planned by the model, so a hop
/// can need a new preflight, lose `Authorization`, change its method or send `Origin: null`.
struct CheckRunner: Sendable {
    /// A bound on requests per check, above what the model's 20-redirect limit can reach.
    static let maximumExchanges = 64

    /// How requests reach the server.
    let exchanger: any HTTPExchanger
    /// The stack named with `--stack`, which replaces detection.
    var stackOverride: ServerStack? = nil
    /// Whether every stack's fix is listed (`--verbose`).
    var verbose = false

    /// Checks `request`.
    ///
    /// - Throws: ``HTTPExchangeError`` when a request gets no response at all.
    func run(_ request: PageRequest) async throws(HTTPExchangeError) -> CheckReport {
        let initialPlan = RequestPlan(request)
        var plan = initialPlan
        var steps: [CheckStep] = []
        var warnings = initialPlan.warnings
        var failure: CORSFailure?
        var consoleMessage: String?
        var networkError: NetworkError?
        var readable: ReadableResponse?

        exchanges: while steps.count < Self.maximumExchanges {
            if let preflight = plan.preflightRequest {
                let response = try await exchanger.send(preflight)
                let evaluation = plan.evaluatePreflight(response.head)
                warnings += evaluation.warnings
                let rules = CheckRules.preflight(plan: plan, response: response, evaluation: evaluation)
                switch evaluation.result {
                case .success(let grant):
                    steps.append(
                        CheckStep(
                            kind: .preflight, plan: plan, request: preflight, response: response, rules: rules,
                            outcome: .preflightPassed(grant)))
                case .failure(let preflightFailure):
                    steps.append(
                        CheckStep(
                            kind: .preflight, plan: plan, request: preflight, response: response, rules: rules,
                            outcome: .preflightFailed(preflightFailure)))
                    failure = preflightFailure
                    consoleMessage = evaluation.consoleMessage
                    break exchanges
                }
            }

            let actual = plan.actualRequest
            let response = try await exchanger.send(actual)
            let redirect = plan.followRedirect(response.head)
            let rules = CheckRules.actual(plan: plan, response: response, redirect: redirect)
            func record(_ outcome: CheckStep.Outcome) {
                steps.append(
                    CheckStep(kind: .actual, plan: plan, request: actual, response: response, rules: rules, outcome: outcome))
            }
            switch redirect {
            case .notARedirect:
                let evaluation = plan.evaluateResponse(response.head)
                warnings += evaluation.warnings
                switch evaluation.result {
                case .success(let result):
                    readable = result
                    steps.append(
                        CheckStep(
                            kind: .actual, plan: plan, request: actual, response: response,
                            rules: rules + CheckRules.response(plan: plan, evaluation: evaluation),
                            outcome: .response(result)))
                case .failure(let responseFailure):
                    steps.append(
                        CheckStep(
                            kind: .actual, plan: plan, request: actual, response: response,
                            rules: rules + CheckRules.response(plan: plan, evaluation: evaluation),
                            outcome: .responseBlocked(responseFailure)))
                    failure = responseFailure
                    consoleMessage = evaluation.consoleMessage
                }
                break exchanges
            case .follow(let hop):
                record(.redirect(hop))
                warnings += hop.nextPlan.warnings
                plan = hop.nextPlan
            case .blocked(let redirectFailure, let message):
                record(.redirectBlocked(redirectFailure))
                failure = redirectFailure
                consoleMessage = message
                break exchanges
            case .networkError(let error):
                record(.redirectFailed(error))
                networkError = error
                break exchanges
            }
        }
        if failure == nil && networkError == nil && readable == nil {
            // Only reachable if the model stopped limiting redirects.
            networkError = NetworkError(
                .tooManyRedirects, url: plan.request.url.serialized,
                explanation: "cors check stopped after \(Self.maximumExchanges) requests.")
        }

        var report = CheckReport(
            request: request, initialPlan: initialPlan, steps: steps,
            verdict: readable != nil ? .allowed : .blocked, failure: failure, networkError: networkError,
            consoleMessage: consoleMessage, readable: readable, pitfalls: [], fixes: [],
            warnings: Self.unique(warnings.map(\.description)))
        report.stack = StackKnowledge.detect(steps.map(\.stackResponse), override: stackOverride)
        report.verbose = verbose
        CheckAdvisor.advise(&report)
        return report
    }

    /// `items` without repeats, first occurrence kept.
    static func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }
}
