import CORS
import CORSConfiguration

/// What `cors lint` prints for a profile's findings, and the exit status that goes with it.
struct LintReport: Sendable, Equatable {
    /// The text for standard output.
    var output: String
    /// 0 when there is no error (warnings only, or clean); 1 when there is any error.
    var exitCode: Int32
    /// The findings the report was made of, for `--sarif`.
    var findings: [CORSPolicyFinding] = []

    /// A report with its text and status.
    init(output: String, exitCode: Int32) {
        self.output = output
        self.exitCode = exitCode
    }

    /// The report for `findings` of `file`'s profile `profile`.
    init(file: String, profile: String, findings: [CORSPolicyFinding], json: Bool) {
        let errors = findings.filter { $0.severity == .error }.count
        let warnings = findings.count - errors
        exitCode = errors > 0 ? 1 : 0
        self.findings = findings
        output = json ? Self.json(findings) : Self.text(file: file, profile: profile, findings: findings, errors: errors, warnings: warnings)
    }

    /// `{"findings": [{"severity": …, "code": …, "path": …, "message": …, "fix": …}]}`, one
    /// finding per line, keys in that order.
    static func json(_ findings: [CORSPolicyFinding]) -> String {
        guard !findings.isEmpty else { return #"{"findings": []}"# }
        let lines = findings.map { finding in
            let pairs = [
                ("severity", finding.severity.rawValue), ("code", finding.code.rawValue), ("path", finding.path),
                ("message", finding.message), ("fix", finding.fix),
            ]
            return "  {" + pairs.map { "\(jsonString($0.0)): \(jsonString($0.1))" }.joined(separator: ", ") + "}"
        }
        return "{\"findings\": [\n" + lines.joined(separator: ",\n") + "\n]}"
    }

    /// A JSON string literal (the same escaping as every other `--json` document of the tool).
    static func jsonString(_ text: String) -> String {
        JSONValue.quoted(text)
    }

    private static func text(
        file: String, profile: String, findings: [CORSPolicyFinding], errors: Int, warnings: Int
    ) -> String {
        func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
        let header = "\(file) (profile \(profile)): "
        guard !findings.isEmpty else { return header + "no findings" }
        var lines = [header + count(errors, "error") + ", " + count(warnings, "warning")]
        for finding in findings {
            let place = finding.position.map { " (line \($0.line), column \($0.column))" } ?? ""
            lines.append("")
            lines.append("\(finding.severity.rawValue)[\(finding.code.rawValue)] \(finding.path)\(place)")
            lines.append("  \(finding.message)")
            lines.append("  fix: \(finding.fix)")
        }
        return lines.joined(separator: "\n")
    }
}
