import CORSBrowserModel

/// What `cors explain` found: the findings, and for a HAR file the counts and what the
/// export cannot tell.
struct ExplainReport: Sendable {
    /// `console` or `har`.
    var input: String
    /// The file, for a HAR.
    var file: String?
    var findings: [ExplainFinding]
    var harSummary: HARExplainer.Summary?
    var unknowns: [String] = []

    /// 1 when something was blocked, 0 otherwise.
    var exitCode: Int32 {
        findings.contains(where: \.isBlocked) ? 1 : 0
    }

    // MARK: Text

    func text() -> String {
        var lines: [String] = []
        if let summary = harSummary {
            lines.append(
                "cors explain \(file ?? ""): \(summary.entries) entries, \(summary.crossOrigin) cross-origin requests, \(summary.preflights) preflights; \(summary.blocked) blocked, \(summary.allowed) allowed"
            )
        } else {
            let blocked = findings.filter(\.isBlocked).count
            lines.append("cors explain: \(findings.count) message\(findings.count == 1 ? "" : "s") read, \(blocked) blocked request\(blocked == 1 ? "" : "s")")
        }
        for (index, finding) in findings.enumerated() {
            lines.append("")
            lines += Self.text(finding, number: index + 1)
        }
        if !unknowns.isEmpty {
            lines.append("")
            lines.append("Cannot judge:")
            lines += unknowns.map { "  - " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    static func text(_ finding: ExplainFinding, number: Int) -> [String] {
        let engine = finding.engine
        let engineTitle = engine.browserName == engine.engineName ? engine.browserName : "\(engine.browserName) (\(engine.engineName))"
        var lines = ["[\(number)] \(engineTitle): \(finding.messageID)" + (finding.isBlocked ? "" : " (a warning: the request went through)")]
        lines.append("    Reason:  \(finding.reasonText)")
        if let url = finding.url { lines.append("    URL:     \(finding.method.map { "\($0) " } ?? "")\(url)") }
        lines.append("    Origin:  \(finding.origin ?? "not in the message")")
        if let status = finding.status { lines.append("    Status:  \(status)") }
        if let documentation = finding.documentationURL { lines.append("    MDN:     \(documentation)") }
        if finding.source == "har" {
            for line in finding.lines { lines.append("    Console: \(line)") }
        }
        switch finding.causes.count {
        case 0:
            if let note = finding.note { lines.append("    Meaning: \(note)") }
        case 1:
            let cause = finding.causes[0]
            lines.append("    Cause:   \(cause.reason.rawValue) (\(cause.stage)): \(cause.explanation)")
        default:
            lines.append("    Causes (the message cannot tell them apart):")
            for cause in finding.causes {
                lines.append("      - \(cause.reason.rawValue) (\(cause.stage)): \(cause.explanation)")
            }
        }
        if let probe = finding.decidingProbe { lines.append("    Decide:  \(probe)") }
        for unknown in finding.unknowns { lines.append("    Unknown: \(unknown)") }
        if let command = finding.command { lines.append("    Next:    \(command)") }
        return lines
    }

    // MARK: JSON

    func json() -> String {
        JSONValue.object([
            ("input", .string(input)),
            ("file", .string(file)),
            ("blocked", .number(findings.filter(\.isBlocked).count)),
            ("findings", .array(findings.map(Self.json))),
            ("cannotJudge", .strings(unknowns)),
            (
                "har",
                harSummary.map {
                    .object([
                        ("entries", .number($0.entries)), ("crossOrigin", .number($0.crossOrigin)),
                        ("preflights", .number($0.preflights)), ("allowed", .number($0.allowed)), ("blocked", .number($0.blocked)),
                    ])
                } ?? .null
            ),
        ]).rendered()
    }

    static func json(_ finding: ExplainFinding) -> JSONValue {
        .object([
            ("engine", .string(finding.engine.rawValue)),
            ("message", .string(finding.messageID)),
            ("reasonText", .string(finding.reasonText)),
            ("blocked", .bool(finding.isBlocked)),
            ("url", .string(finding.url)),
            ("origin", .string(finding.origin)),
            ("method", .string(finding.method)),
            ("status", .string(finding.status)),
            ("documentation", .string(finding.documentationURL)),
            (
                "causes",
                .array(
                    finding.causes.map {
                        .object([("reason", .string($0.reason.rawValue)), ("stage", .string($0.stage)), ("fix", .string($0.explanation))])
                    })
            ),
            ("decidingProbe", .string(finding.decidingProbe)),
            ("note", .string(finding.note)),
            ("command", .string(finding.command)),
            ("lines", .strings(finding.lines)),
            ("cannotJudge", .strings(finding.unknowns)),
        ])
    }
}
