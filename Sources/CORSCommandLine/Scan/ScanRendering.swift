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
                lines.append("  " + style.dim("SEVERITY  AXIS      " + "CODE".padding(codeWidth) + "  PROBE ORIGIN"))
                for finding in report.findings {
                    let severity = colour(finding.severity, style)(finding.severity.rawValue.padding(8))
                    lines.append(
                        "  \(severity)  \(finding.axis.rawValue.padding(8))  \(finding.code.rawValue.padding(codeWidth))  \(finding.probeOrigin ?? "-")")
                    lines.append("            " + finding.explanation)
                    lines.append("            " + style.cyan("Fix: ") + finding.fix)
                    if finding.evidence.count > 1 {
                        lines.append("            " + style.dim("evidence: \(finding.evidence.count) responses (--json or --sarif lists them)"))
                    }
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
                            ("routeMethods", .strings(report.routeMethods)),
                            ("stack", .string(report.stack)),
                            ("error", .string(report.failure)),
                            ("findings", .array(report.findings.map { json($0, url: report.url) })),
                            ("notes", .strings(report.notes)),
                        ])
                    })
            )
        ])
    }

    static func json(_ finding: ScanFinding, url: String) -> JSONValue {
        .object([
            ("code", .string(finding.code.rawValue)),
            ("axis", .string(finding.axis.rawValue)),
            ("severity", .string(finding.severity.rawValue)),
            ("probeOrigin", .string(finding.probeOrigin)),
            ("alsoShownBy", .strings(finding.alsoShownBy.map(\.rawValue))),
            ("fingerprint", .string(fingerprint(finding, url: url))),
            ("evidence", .array(finding.evidence.map(json))),
            ("explanation", .string(finding.explanation)),
            ("fix", .string(finding.fix)),
        ])
    }

    static func json(_ evidence: ScanEvidence) -> JSONValue {
        .object([
            ("request", .string(evidence.request)),
            ("method", .string(evidence.method)),
            ("target", .string(evidence.target)),
            ("origin", .string(evidence.origin)),
            ("status", .number(evidence.status)),
            ("headers", .object(evidence.headers.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("setCookie", .strings(evidence.setCookies)),
        ])
    }

    /// A fingerprint that stays the same across runs: the class, the target and what the finding
    /// is anchored to, never the random probe token. 128 bits of two FNV-1a hashes, in hex.
    static func fingerprint(_ finding: ScanFinding, url: String) -> String {
        let text = "\(finding.code.rawValue)|\(url)|\(finding.anchor)"
        func fnv(_ seed: UInt64) -> String {
            var hash = seed
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01B3
            }
            let hex = String(hash, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }
        return fnv(0xcbf2_9ce4_8422_2325) + fnv(0x84222325_cbf29ce4)
    }

    // MARK: SARIF

    /// SARIF 2.1.0 for code scanning: rules with help and CWE tags, results with
    /// `security-severity`, stable `partialFingerprints`, the HTTP exchange in `webRequest` /
    /// `webResponse`, and the scanned URL as a logical location (a URL is not a file of the
    /// repository). Levels: high → error, medium → warning, low and info → note.
    static func sarif(_ reports: [TargetReport], toolVersion: String) -> JSONValue {
        let codes = ScanFindingCode.allCases
        let rules: [JSONValue] = codes.map { code in
            let help = ScanRules.help(code)
            return .object([
                ("id", .string(code.rawValue)),
                ("name", .string(code.rawValue.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined())),
                ("shortDescription", .object([("text", .string(ScanCatalogue.summary(code)))])),
                ("fullDescription", .object([("text", .string(help.text))])),
                ("help", .object([("text", .string(help.text)), ("markdown", .string(help.markdown))])),
                ("helpUri", .string("https://fetch.spec.whatwg.org/#http-cors-protocol")),
                ("defaultConfiguration", .object([("level", .string(level(ScanRules.highest(code))))])),
                (
                    "properties",
                    .object([
                        ("tags", .strings(ScanRules.tags(code))),
                        ("security-severity", .string(ScanRules.securitySeverity(ScanRules.highest(code), axis: code.axis))),
                        ("axis", .string(code.axis.rawValue)),
                    ])
                ),
            ])
        }
        var results: [JSONValue] = []
        for report in reports {
            for finding in report.findings {
                var result: [(String, JSONValue)] = [
                    ("ruleId", .string(finding.code.rawValue)),
                    ("ruleIndex", .number(codes.firstIndex(of: finding.code) ?? 0)),
                    ("level", .string(level(finding.severity))),
                    ("message", .object([("text", .string("\(finding.explanation) Fix: \(finding.fix)"))])),
                    (
                        "locations",
                        .array([
                            .object([
                                (
                                    "logicalLocations",
                                    .array([
                                        .object([
                                            ("name", .string(report.url)),
                                            ("fullyQualifiedName", .string(report.url)),
                                            ("kind", "resource"),
                                        ])
                                    ])
                                )
                            ])
                        ])
                    ),
                    ("partialFingerprints", .object([("corsScanFinding/v1", .string(fingerprint(finding, url: report.url)))])),
                ]
                if let first = finding.evidence.first {
                    result.append(("webRequest", webRequest(first, url: report.url)))
                    result.append(("webResponse", webResponse(first)))
                }
                result.append(
                    (
                        "properties",
                        .object([
                            ("severity", .string(finding.severity.rawValue)),
                            ("axis", .string(finding.axis.rawValue)),
                            ("security-severity", .string(ScanRules.securitySeverity(finding.severity, axis: finding.axis))),
                            ("tags", .strings(ScanRules.tags(finding.code))),
                            ("probeOrigin", .string(finding.probeOrigin)),
                            ("alsoShownBy", .strings(finding.alsoShownBy.map(\.rawValue))),
                            ("evidence", .array(finding.evidence.map(json))),
                        ])
                    ))
                results.append(.object(result))
            }
        }
        return log(toolName: "cors scan", toolVersion: toolVersion, rules: rules, results: results)
    }

    /// A SARIF 2.1.0 log with one run.
    static func log(toolName: String, toolVersion: String, rules: [JSONValue], results: [JSONValue], artifacts: [JSONValue] = []) -> JSONValue {
        var run: [(String, JSONValue)] = [
            (
                "tool",
                .object([
                    (
                        "driver",
                        .object([
                            ("name", .string(toolName)),
                            ("version", .string(toolVersion)),
                            ("informationUri", "https://fetch.spec.whatwg.org/#http-cors-protocol"),
                            ("rules", .array(rules)),
                        ])
                    )
                ])
            )
        ]
        if !artifacts.isEmpty { run.append(("artifacts", .array(artifacts))) }
        run.append(("results", .array(results)))
        return .object([
            ("$schema", "https://json.schemastore.org/sarif-2.1.0.json"),
            ("version", "2.1.0"),
            ("runs", .array([.object(run)])),
        ])
    }

    static func webRequest(_ evidence: ScanEvidence, url: String) -> JSONValue {
        .object([
            ("protocol", "http"),
            ("version", "1.1"),
            ("target", .string(evidence.target)),
            ("method", .string(evidence.method)),
            ("headers", .object(evidence.requestHeaders.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("properties", .object([("url", .string(url)), ("request", .string(evidence.request))])),
        ])
    }

    static func webResponse(_ evidence: ScanEvidence) -> JSONValue {
        var headers = evidence.headers.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }
        if !evidence.setCookies.isEmpty { headers.append(("Set-Cookie", .string(evidence.setCookies.joined(separator: "\n")))) }
        return .object([
            ("protocol", "http"),
            ("version", "1.1"),
            ("statusCode", .number(evidence.status)),
            ("headers", .object(headers)),
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
