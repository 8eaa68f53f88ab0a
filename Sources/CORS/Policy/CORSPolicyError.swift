/// The error thrown when a ``CORSPolicy`` is refused. It lists every problem at once, so that a
/// single run shows everything to fix.
public struct CORSPolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Every problem found, errors first, in the order of the policy's keys.
    public var problems: [CORSPolicyProblem]

    /// Creates an error from the problems found. At least one should be an error.
    public init(problems: [CORSPolicyProblem]) {
        self.problems = problems
    }

    /// The problems that made the policy unusable.
    public var errors: [CORSPolicyProblem] { problems.filter { $0.severity == .error } }

    /// A multi-line report: a summary line, then one line per problem with its fix.
    public var description: String {
        let count = errors.count
        let header = "invalid CORS policy: \(count) error\(count == 1 ? "" : "s")"
        return ([header] + problems.map { "  - \($0)" }).joined(separator: "\n")
    }
}
