import CORSBrowserModel

/// The `--browser` part of `cors check`: per engine the verdict, the reason in the engine's
/// words and its exact console lines; for `all` a table and where the engines differ.
struct CheckEngineRenderer: Sendable {
    var style: TerminalStyle = .plain

    /// The text lines; none for the default (Chromium alone), whose console line the verdict
    /// section already shows.
    func lines(_ report: CheckReport) -> [String] {
        guard report.browsers != [.chromium], !report.engines.isEmpty else { return [] }
        var lines: [String] = []
        if report.engines.count > 1 {
            lines.append("")
            lines.append(style.bold("Engines"))
            let width = report.engines.map { $0.engine.browserName.count }.max() ?? 0
            for check in report.engines {
                let name = check.engine.browserName + String(repeating: " ", count: width - check.engine.browserName.count)
                let verdict = check.verdict == .allowed ? style.green("allowed") : style.red("blocked")
                let reason = check.reasonName.map { "  \($0)" } ?? ""
                lines.append("  \(name)  \(verdict)\(reason)")
            }
        }
        for check in report.engines {
            lines.append("")
            lines += engineLines(check)
        }
        let differences = EngineDifferences.sentences(report.engines)
        if report.engines.count > 1 {
            lines.append("")
            if differences.isEmpty {
                lines.append(style.bold("Differences: ") + "none for this request: same verdict, same cause.")
            } else {
                lines.append(style.bold("Differences"))
                lines += differences.map { "  - " + $0 }
            }
        }
        return lines
    }

    private func engineLines(_ check: EngineCheck) -> [String] {
        let engine = check.engine
        let title = engine.browserName == engine.engineName ? engine.browserName : "\(engine.browserName) (\(engine.engineName))"
        var lines: [String] = []
        if check.verdict == .allowed {
            lines.append(style.bold(title + ": ") + style.green("ALLOWED"))
        } else if let report = check.report {
            lines.append(style.bold(title + ": ") + style.red("BLOCKED") + " — \(report.reasonName)")
            lines.append("  Reason:  \(report.reasonText)")
            if let url = report.message.documentationURL {
                lines.append("  MDN:     \(url)")
            }
        } else {
            lines.append(
                style.bold(title + ": ") + style.red("BLOCKED") + " — \(check.networkError ?? "network error"), no CORS line")
        }
        for line in check.consoleLines {
            lines.append("  Console: \(line)")
        }
        if let seconds = check.preflightCacheSeconds {
            lines.append("  Preflight cached for \(seconds) s (cap \(check.engine.profile.preflightCache.capSeconds) s).")
        }
        for cookie in check.cookies {
            let name = cookie.name.isEmpty ? "(nameless)" : cookie.name
            lines.append("  Cookie '\(name)': \(cookie.verdict.outcome.rawValue). \(cookie.verdict.explanation)")
        }
        for note in check.notes {
            lines.append("  Note:    \(note)")
        }
        return lines
    }

    /// The `engines` object of `--json`: one member per engine asked about.
    static func json(_ checks: [EngineCheck]) -> JSONValue {
        .object(
            checks.map { check in
                let report = check.report
                return (
                    check.engine.rawValue,
                    .object([
                        ("browser", .string(check.engine.browserName)),
                        ("verdict", .string(check.verdict.rawValue)),
                        ("reason", .string(check.reasonName)),
                        ("reasonText", .string(report?.reasonText)),
                        ("documentation", .string(report?.message.documentationURL)),
                        ("consoleLines", .strings(check.consoleLines)),
                        ("preflightCacheSeconds", check.preflightCacheSeconds.map { .number($0) } ?? .null),
                        (
                            "cookies",
                            .array(
                                check.cookies.map {
                                    .object([
                                        ("name", .string($0.name)), ("outcome", .string($0.verdict.outcome.rawValue)),
                                        ("explanation", .string($0.verdict.explanation)),
                                    ])
                                })
                        ),
                        ("notes", .strings(check.notes)),
                    ])
                )
            } + (checks.count > 1 ? [("differences", .strings(EngineDifferences.sentences(checks)))] : []))
    }
}
