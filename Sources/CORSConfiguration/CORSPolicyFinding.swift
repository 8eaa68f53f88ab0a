public import CORS

/// One finding about a policy file or a configured policy: a problem from the core validator
/// (`CORSPolicyProblem`), or one of the checks only a file can have (unknown or
/// duplicate keys, wrong JSON types, the stricter production profile).
///
/// Its JSON form is exactly `{"severity", "code", "path", "message", "fix"}`, the shape
/// `cors lint --json` prints; the position is not encoded.
public struct CORSPolicyFinding: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Whether the policy is refused (`CORSPolicyProblem.Severity.error`) or merely
    /// suspicious.
    public var severity: CORSPolicyProblem.Severity
    /// The stable rule identifier, such as `wildcard-with-credentials`.
    public var code: Code
    /// Where, as a key path in the file (`allowOrigins[1]`, `profiles.production.maxAge`) or a
    /// configuration key (`cors.maxAge`).
    public var path: String
    /// What is wrong, in a sentence.
    public var message: String
    /// What to write instead.
    public var fix: String
    /// Where the value is written in the file, when it comes from one.
    public var position: CORSSourcePosition?

    /// Creates a finding.
    public init(
        severity: CORSPolicyProblem.Severity, code: Code, path: String, message: String, fix: String,
        position: CORSSourcePosition? = nil
    ) {
        self.severity = severity
        self.code = code
        self.path = path
        self.message = message
        self.fix = fix
        self.position = position
    }

    /// A finding for a core problem, at `path` (the problem's own path, placed in the file).
    public init(_ problem: CORSPolicyProblem, path: String? = nil, position: CORSSourcePosition? = nil) {
        self.init(
            severity: problem.severity, code: Code(problem.code), path: path ?? problem.path,
            message: problem.message, fix: problem.fix, position: position)
    }

    private enum CodingKeys: String, CodingKey {
        case severity, code, path, message, fix
    }

    /// `error[wildcard-with-credentials] allowOrigins[0]: … Fix: …`
    public var description: String {
        "\(severity.rawValue)[\(code.rawValue)] \(path): \(message) Fix: \(fix)"
    }
}
