/// Why a policy could not be loaded from a file or a configuration.
///
/// Every case names the file (when there is one); ``description`` is one line for the first
/// three cases and one line per finding for ``invalid(file:profile:findings:)``.
public enum CORSConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(file: String, reason: String)
    /// The file is not JSON: the first syntax error, at its line and column.
    case syntax(file: String, position: CORSSourcePosition, message: String)
    /// The file is JSON but not a policy file (its top level is not an object).
    case notAPolicyFile(file: String, message: String)
    /// The file has `profiles` but not the one asked for.
    case profileNotFound(file: String, profile: String, available: [String])
    /// The policy has errors: every finding, errors and warnings, each with its path and fix.
    case invalid(file: String?, profile: String, findings: [CORSPolicyFinding])

    /// The findings of an invalid policy; empty for the other cases.
    public var findings: [CORSPolicyFinding] {
        if case .invalid(_, _, let findings) = self { return findings }
        return []
    }

    /// A message that names the file, the place and the problem.
    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "cannot read policy file \(file): \(reason)"
        case .syntax(let file, let position, let message):
            return "\(file): invalid JSON at \(position): \(message)"
        case .notAPolicyFile(let file, let message):
            return "\(file) is not a policy file: \(message)"
        case .profileNotFound(let file, let profile, let available):
            let list = available.isEmpty ? "it has none" : "it has \(available.joined(separator: ", "))"
            return "\(file) has no profile \"\(profile)\" under \"profiles\" (\(list)); choose one with --profile or CORS_PROFILE"
        case .invalid(let file, let profile, let findings):
            let errors = findings.filter { $0.severity == .error }.count
            let source = file.map { "\($0) (profile \(profile))" } ?? "the configured CORS policy"
            let header = "\(source) is invalid: \(errors) error\(errors == 1 ? "" : "s")"
            let lines = findings.map { finding in
                let place = [file, finding.position.map { "\($0.line):\($0.column)" }].compactMap { $0 }
                    .joined(separator: ":")
                return "  - " + (place.isEmpty ? "" : place + ": ") + finding.description
            }
            return ([header] + lines).joined(separator: "\n")
        }
    }
}
