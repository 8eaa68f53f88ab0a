import CORSBrowserModel
import HTTPTypes

/// The human-readable `cors check` output: a step-by-step trace (what was sent, what came
/// back, which rule passed or failed), the verdict, Chromium's console line, the fixes and the
/// warnings.
struct CheckTextRenderer: Sendable {
    var style: TerminalStyle = .plain

    /// Response header names always shown in the trace; the others are only named. `Server`,
    /// `X-Powered-By`, `Via` and `Allow` often say which stack answered.
    static func isRelevant(_ name: String) -> Bool {
        name.hasPrefix("access-control-")
            || ["vary", "location", "set-cookie", "content-type", "cache-control", "server", "x-powered-by", "via", "allow"]
                .contains(name)
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
        lines.append(style.bold("Stack:   ") + Self.stackLine(report.stack))
        lines += CheckEngineRenderer(style: style).lines(report)

        if !report.pitfalls.isEmpty {
            lines.append("")
            lines.append(style.bold("Pitfalls: ") + report.pitfalls.map(\.title).joined(separator: "; "))
        }
        for (index, fix) in report.fixes.enumerated() {
            lines.append("")
            lines += render(fix, number: index + 1, count: report.fixes.count, report: report)
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

    /// "nginx, from Server: nginx/1.22.1; nginx's error page", "nginx (--stack)", "unknown …".
    static func stackLine(_ detection: StackDetection) -> String {
        guard let stack = detection.stack else {
            return "unknown (no Server, X-Powered-By or Via field, error page or answer that names one; --stack NAME says it)"
        }
        let name = stack.dialect.displayName
        if detection.isOverride {
            return detection.evidence.isEmpty
                ? "\(name) (--stack)" : "\(name) (--stack; seen: \(detection.evidence.joined(separator: "; ")))"
        }
        return "\(name), from \(detection.evidence.joined(separator: "; "))"
    }

    private func render(_ fix: CheckFix, number: Int, count: Int, report: CheckReport) -> [String] {
        let label = count == 1 ? "Fix" : "Fix \(number)"
        var lines = [style.bold(label + (fix.pitfall.map { " — \($0.title)" } ?? "")) + ": " + fix.problem]
        // A fix of several configuration lines (Apache's RewriteCond + RewriteRule) keeps its indent.
        func indented(_ fix: String, by indent: String) -> String {
            fix.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n" + indent)
        }
        for line in fix.stackFixes where line.isDetected {
            let label = "\(line.stack.dialect.displayName):"
            lines.append("    " + style.bold(label) + " " + indented(line.fix, by: String(repeating: " ", count: 5 + label.count)))
        }
        for header in fix.headers {
            lines.append("    Send:        \(header)")
        }
        if let policy = fix.corsPolicy {
            lines.append("    CORSPolicy:  \(policy)")
        }
        if let fastAPI = fix.fastAPI, CheckAdvisor.showsFastAPI(report) {
            lines.append("    FastAPI:     \(fastAPI)")
        }
        for other in fix.other {
            lines.append("    Also:        \(other)")
        }
        let others = fix.stackFixes.filter { !$0.isDetected }
        if !others.isEmpty {
            lines.append("    Other stacks:")
            for line in others {
                let label = "\(line.stack.dialect.displayName):"
                lines.append("      \(label) " + indented(line.fix, by: String(repeating: " ", count: 7 + label.count)))
            }
        }
        return lines
    }
}
