/// The three forms of a scan's results: a table for people, `--json`, and SARIF 2.1.0.
enum ScanRendering {
    // MARK: Text

    static func text(_ reports: [TargetReport], style: TerminalStyle) -> String {
        var lines: [String] = []
        for report in reports {
            lines.append(style.bold(report.url) + style.dim("  (\(report.requests) requests)"))
            if let failure = report.failure {
                lines.append("  " + style.red("unreachable: \(failure)"))
                lines.append("")
                continue
            }
            if !report.trustedOrigins.isEmpty {
                lines.append("  trusted origins: " + report.trustedOrigins.joined(separator: ", "))
            }
            if report.findings.isEmpty {
                lines.append("  " + style.green("no finding"))
            } else {
                let codeWidth = max(4, report.findings.map(\.code.rawValue.count).max() ?? 0)
                lines.append("  " + style.dim("SEVERITY  " + "CODE".padding(codeWidth) + "  PROBE ORIGIN"))
                for finding in report.findings {
                    let severity = colour(finding.severity, style)(finding.severity.rawValue.padding(8))
                    lines.append(
                        "  \(severity)  \(finding.code.rawValue.padding(codeWidth))  \(finding.probeOrigin ?? "-")")
                    lines.append("            " + finding.explanation)
                    lines.append("            " + style.cyan("Fix: ") + finding.fix)
                }
            }
            for note in report.notes { lines.append("  " + style.dim("note: \(note)")) }
            lines.append("")
        }
        let findings = reports.flatMap(\.findings)
        let counts = ScanSeverity.allCases.reversed().compactMap { severity -> String? in
            let count = findings.filter { $0.severity == severity }.count
            return count == 0 ? nil : "\(count) \(severity.rawValue)"
        }
        lines.append(
            "\(reports.count) target\(reports.count == 1 ? "" : "s"), \(reports.map(\.requests).reduce(0, +)) requests, "
                + (counts.isEmpty ? "no finding" : counts.joined(separator: ", ")))
        return lines.joined(separator: "\n")
    }

    private static func colour(_ severity: ScanSeverity, _ style: TerminalStyle) -> (String) -> String {
        switch severity {
        case .high: style.red
        case .medium: style.yellow
        case .low: style.cyan
        case .info: style.dim
        }
    }

    // MARK: JSON

    static func json(_ reports: [TargetReport]) -> JSONValue {
        .object([
            (
                "targets",
                .array(
                    reports.map { report in
                        .object([
                            ("url", .string(report.url)),
                            ("requests", .number(report.requests)),
                            ("trustedOrigins", .strings(report.trustedOrigins)),
                            ("error", .string(report.failure)),
                            ("findings", .array(report.findings.map(json))),
                            ("notes", .strings(report.notes)),
                        ])
                    })
            )
        ])
    }

    static func json(_ finding: ScanFinding) -> JSONValue {
        .object([
            ("code", .string(finding.code.rawValue)),
            ("severity", .string(finding.severity.rawValue)),
            ("probeOrigin", .string(finding.probeOrigin)),
            ("evidence", .array(finding.evidence.map(json))),
            ("explanation", .string(finding.explanation)),
            ("fix", .string(finding.fix)),
        ])
    }

    static func json(_ evidence: ScanEvidence) -> JSONValue {
        .object([
            ("request", .string(evidence.request)),
            ("origin", .string(evidence.origin)),
            ("status", .number(evidence.status)),
            ("headers", .object(evidence.headers.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("setCookie", .strings(evidence.setCookies)),
        ])
    }

    // MARK: SARIF

    /// SARIF 2.1.0, so that results show up in code-scanning dashboards. Levels: high → error,
    /// medium → warning, low and info → note; the severity is also a result property.
    static func sarif(_ reports: [TargetReport], toolVersion: String) -> JSONValue {
        let codes = ScanFindingCode.allCases
        let rules: [JSONValue] = codes.map { code in
            .object([
                ("id", .string(code.rawValue)),
                ("name", .string(code.rawValue)),
                ("shortDescription", .object([("text", .string(ScanCatalogue.summary(code)))])),
                ("helpUri", .string("https://fetch.spec.whatwg.org/#http-cors-protocol")),
            ])
        }
        var results: [JSONValue] = []
        for report in reports {
            for finding in report.findings {
                results.append(
                    .object([
                        ("ruleId", .string(finding.code.rawValue)),
                        ("ruleIndex", .number(codes.firstIndex(of: finding.code) ?? 0)),
                        ("level", .string(level(finding.severity))),
                        ("message", .object([("text", .string("\(finding.explanation) Fix: \(finding.fix)"))])),
                        (
                            "locations",
                            .array([
                                .object([
                                    (
                                        "physicalLocation",
                                        .object([("artifactLocation", .object([("uri", .string(report.url))]))])
                                    )
                                ])
                            ])
                        ),
                        (
                            "properties",
                            .object([
                                ("severity", .string(finding.severity.rawValue)),
                                ("probeOrigin", .string(finding.probeOrigin)),
                            ])
                        ),
                    ]))
            }
        }
        return .object([
            ("$schema", "https://json.schemastore.org/sarif-2.1.0.json"),
            ("version", "2.1.0"),
            (
                "runs",
                .array([
                    .object([
                        (
                            "tool",
                            .object([
                                (
                                    "driver",
                                    .object([
                                        ("name", "cors scan"),
                                        ("version", .string(toolVersion)),
                                        ("rules", .array(rules)),
                                    ])
                                )
                            ])
                        ),
                        ("results", .array(results)),
                    ])
                ])
            ),
        ])
    }

    static func level(_ severity: ScanSeverity) -> String {
        switch severity {
        case .high: "error"
        case .medium: "warning"
        case .low, .info: "note"
        }
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
