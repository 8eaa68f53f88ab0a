import CORSBrowserModel
import HTTPTypes

/// The human-readable `cors check` output: a step-by-step trace (what was sent, what came
/// back, which rule passed or failed), the verdict, Chromium's console line, the fixes and the
/// warnings.
struct CheckTextRenderer: Sendable {
    var style: TerminalStyle = .plain

    /// Response header names always shown in the trace; the others are only named.
    static func isRelevant(_ name: String) -> Bool {
        name.hasPrefix("access-control-")
            || ["vary", "location", "set-cookie", "content-type", "cache-control"].contains(name)
    }

    func render(_ report: CheckReport) -> String {
        var lines: [String] = []
        let request = report.request
        lines.append(style.bold("cors check: \(request.method.rawValue) \(request.url.serialized)"))
        lines.append(
            "  from a page on \(request.origin.serialized), credentials: \(request.credentials.rawValue)"
                + (request.isCrossOrigin ? "" : " (same origin)"))
        let scriptHeaders = report.initialPlan.headers
        if !scriptHeaders.isEmpty {
            lines.append("  headers the script sets:")
            for header in scriptHeaders {
                let verdict: String
                switch header.verdict {
                case .safelisted: verdict = style.dim("safelisted")
                case .corsUnsafe: verdict = style.yellow("CORS-unsafe: needs a preflight")
                case .forbidden: verdict = style.red("forbidden: the browser drops it")
                }
                lines.append("    \(header.name): \(header.value)   (\(verdict))")
            }
        }

        for (index, step) in report.steps.enumerated() {
            lines.append("")
            lines += render(step, number: index + 1)
        }

        lines.append("")
        lines += verdictLines(report)
        lines += CheckEngineRenderer(style: style).lines(report)

        if !report.pitfalls.isEmpty {
            lines.append("")
            lines.append(style.bold("Pitfalls: ") + report.pitfalls.map(\.title).joined(separator: "; "))
        }
        for (index, fix) in report.fixes.enumerated() {
            lines.append("")
            lines += render(fix, number: index + 1, count: report.fixes.count)
        }
        if !report.warnings.isEmpty {
            lines.append("")
            lines.append(style.bold("Warnings"))
            for warning in report.warnings {
                lines.append("  " + style.yellow("!") + " " + warning)
            }
        }
        return lines.joined(separator: "\n")
    }

    private func render(_ step: CheckStep, number: Int) -> [String] {
        var lines: [String] = []
        let title: String
        switch step.kind {
        case .preflight:
            title = "Preflight"
        case .actual:
            title = step.plan.request.redirectCount == 0 ? "Request" : "Request after redirect \(step.plan.request.redirectCount)"
        }
        lines.append(style.bold("[\(number)] \(title)") + "  \(step.request.method.rawValue) \(step.url)")
        if step.kind == .preflight {
            lines.append("    needed because:")
            for reason in step.plan.preflightReasons {
                lines.append("      - \(reason)")
            }
        }
        lines.append("    " + style.cyan("→ sent"))
        for field in step.request.headerFields {
            lines.append("      \(field.name.rawName): \(field.value)")
        }
        if step.kind == .actual && step.plan.request.sendsCredentials {
            lines.append(style.dim("      (a browser adds its cookies for this site here; cors check has none)"))
        }
        let status = step.response.status
        lines.append("    " + style.cyan("← \(status.code)\(status.reasonPhrase.isEmpty ? "" : " " + status.reasonPhrase)"))
        var others: [String] = []
        for field in step.response.headerFields {
            if Self.isRelevant(field.name.canonicalName) {
                lines.append("      \(field.name.rawName): \(field.value)")
            } else if !others.contains(field.name.canonicalName) {
                others.append(field.name.canonicalName)
            }
        }
        if !others.isEmpty {
            lines.append(style.dim("      (also: \(others.joined(separator: ", ")))"))
        }
        if status.code >= 400, let body = step.response.bodySnippet() {
            lines.append(style.dim("      body: \(body)"))
        }
        for rule in step.rules {
            switch rule.status {
            case .passed: lines.append("    " + style.green("✓") + " " + rule.text)
            case .failed: lines.append("    " + style.red("✗") + " " + style.red(rule.text))
            case .info: lines.append("    " + style.dim("·") + " " + rule.text)
            }
        }
        return lines
    }

    private func verdictLines(_ report: CheckReport) -> [String] {
        var lines: [String] = []
        switch report.verdict {
        case .allowed:
            let status = report.readable.map { " (status \($0.status.code))" } ?? ""
            lines.append(style.bold("Verdict: ") + style.green(style.bold("ALLOWED")) + " — the script can read the response\(status)")
            if let readable = report.readable {
                let names = readable.readableHeaderNames.joined(separator: ", ")
                lines.append("Readable headers: \(names.isEmpty ? "none" : names)")
            }
        case .blocked:
            if let failure = report.failure {
                lines.append(style.bold("Verdict: ") + style.red(style.bold("BLOCKED")) + " — \(failure)")
                if let message = report.consoleMessage, report.browsers == [.chromium] {
                    lines.append(style.bold("Console: ") + message)
                }
                lines.append(style.bold("Why:     ") + failure.explanation)
            } else if let error = report.networkError {
                lines.append(style.bold("Verdict: ") + style.red(style.bold("BLOCKED")) + " — net::\(error.code.rawValue)")
                lines.append(
                    style.bold("Console: ")
                        + "no CORS line; the script's fetch rejects with \(NetworkError.scriptError)")
                lines.append(style.bold("Why:     ") + error.explanation)
            }
        }
        return lines
    }

    private func render(_ fix: CheckFix, number: Int, count: Int) -> [String] {
        let label = count == 1 ? "Fix" : "Fix \(number)"
        var lines = [style.bold(label + (fix.pitfall.map { " — \($0.title)" } ?? "")) + ": " + fix.problem]
        for header in fix.headers {
            lines.append("    Send:        \(header)")
        }
        if let policy = fix.corsPolicy {
            lines.append("    CORSPolicy:  \(policy)")
        }
        if let fastAPI = fix.fastAPI {
            lines.append("    FastAPI:     \(fastAPI)")
        }
        for other in fix.other {
            lines.append("    Also:        \(other)")
        }
        return lines
    }
}
