import CORSConfiguration
import CORS
import Foundation

/// `cors lint --sarif FILE`: the findings as SARIF 2.1.0, each at its line and column in the
/// policy file, so code scanning annotates the line that needs the fix.
enum LintSARIF {
    /// The SARIF log for `findings` of the policy file `file` (the path as given on the command line).
    static func log(file: String, findings: [CORSPolicyFinding], toolVersion: String) -> JSONValue {
        let codes = findings.map(\.code.rawValue).uniqued()
        let rules: [JSONValue] = codes.map { code in
            let example = findings.first { $0.code.rawValue == code }!
            let ids = cwe(code)
            let links = ids.map { "[\($0)](https://cwe.mitre.org/data/definitions/\($0.dropFirst(4)).html)" }.joined(separator: ", ")
            let text = "\(example.message) Fix: \(example.fix)"
            let markdown = """
                **\(code)**\(ids.isEmpty ? "" : " — \(links)")

                \(example.message)

                **Fix:** \(example.fix)

                See the lint catalogue (Docs/cors/lint-catalogue.md) for every rule.
                """
            var tags = ["cors", "policy"]
            for id in ids { tags += [id, "external/cwe/" + id.lowercased()] }
            if !ids.isEmpty { tags.insert("security", at: 0) }
            return .object([
                ("id", .string(code)),
                ("shortDescription", .object([("text", .string(example.message))])),
                ("help", .object([("text", .string(text)), ("markdown", .string(markdown))])),
                ("defaultConfiguration", .object([("level", .string(level(example.severity)))])),
                (
                    "properties",
                    .object([
                        ("tags", .strings(tags)),
                        ("security-severity", .string(ids.isEmpty ? "0.0" : example.severity == .error ? "7.5" : "4.3")),
                    ])
                ),
            ])
        }
        let uri = artifactURI(file)
        let results: [JSONValue] = findings.map { finding in
            var physical: [(String, JSONValue)] = [("artifactLocation", .object([("uri", .string(uri)), ("index", 0)]))]
            if let position = finding.position {
                physical.append(("region", .object([("startLine", .number(position.line)), ("startColumn", .number(position.column))])))
            }
            let ids = cwe(finding.code.rawValue)
            return .object([
                ("ruleId", .string(finding.code.rawValue)),
                ("ruleIndex", .number(codes.firstIndex(of: finding.code.rawValue) ?? 0)),
                ("level", .string(level(finding.severity))),
                ("message", .object([("text", .string("\(finding.path): \(finding.message) Fix: \(finding.fix)"))])),
                (
                    "locations",
                    .array([
                        .object([
                            ("physicalLocation", .object(physical)),
                            ("logicalLocations", .array([.object([("fullyQualifiedName", .string(finding.path)), ("kind", "member")])])),
                        ])
                    ])
                ),
                (
                    "partialFingerprints",
                    .object([("corsLintFinding/v1", .string("\(finding.code.rawValue)|\(finding.path)"))])
                ),
                (
                    "properties",
                    .object([
                        ("path", .string(finding.path)),
                        ("security-severity", .string(ids.isEmpty ? "0.0" : finding.severity == .error ? "7.5" : "4.3")),
                    ])
                ),
            ])
        }
        return ScanRendering.log(
            toolName: "cors lint", toolVersion: toolVersion, rules: rules, results: results,
            artifacts: [.object([("location", .object([("uri", .string(uri))]))])])
    }

    /// A relative path stays relative (resolved against the repository by code scanning); an
    /// absolute one becomes a `file://` URI. Characters outside a URI path are percent-encoded.
    static func artifactURI(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: ":")
        let relative = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        let encoded = relative.addingPercentEncoding(withAllowedCharacters: allowed) ?? relative
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }

    /// Policy rules about which origins are trusted map to CWE-942 (permissive cross-domain
    /// policy) and CWE-346 (origin validation); the others are about function, not exposure.
    static func cwe(_ code: String) -> [String] {
        let exposure = ["origin", "wildcard", "null", "credentials", "insecure", "localhost", "pattern", "regex", "suffix"]
        return exposure.contains { code.contains($0) } ? ["CWE-942", "CWE-346"] : []
    }

    static func level(_ severity: CORSPolicyProblem.Severity) -> String {
        severity == .error ? "error" : "warning"
    }
}
